"""The file to hand to ``spark-submit``: the syndicate CLI, with absolute imports so it runs as a script.

    spark-submit --master spark://host:7077 "$(python -c 'import syndicate.engines.spark_submit as m; print(m.__file__)')" \
        scan /shared/crawl --engine spark --db /data/syndicate.duckdb
"""

from syndicate.cli import main

if __name__ == "__main__":
    main()
