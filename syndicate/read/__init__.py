"""Read crawled corpora as a stream of pages: folders of HTML files, JSONL crawl exports, WARC archives.

``page`` holds the records every reader yields; ``files`` walks the inputs and
reads HTML and JSONL; ``warc`` reads WARC archives; ``http`` decodes stored
HTTP responses; ``sniff`` tells pages from binary data and decodes their
charset where the bytes say it.
"""
