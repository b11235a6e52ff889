"""Write the template cases of tests/data/templates/ (see README.md there).

Six frames modelled on real robo-written news, each filled several times with
real names (companies, tickers, teams, players, states, cities, brokers,
funds) and realistic figures. The figures are plausible, not the real ones of
any day. Run from the repository root::

    .venv/bin/python tests/data/templates/make.py

and it rewrites ``<frame>.json`` beside itself: ``{"frame", "modelled_on",
"cases": [{"id", "title", "text"}]}``, the text's paragraphs separated by
newlines, as syndicate extracts them.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent


def para(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


# 1. Simply Wall St style beta note ----------------------------------------

VOLATILITY = [
    dict(id="adobe", name="Adobe Inc.", short="Adobe", exchange="NasdaqGS", ticker="ADBE", beta=1.15,
         cap="US$132b", size="large", date="March 18th 2019"),
    dict(id="tesla", name="Tesla, Inc.", short="Tesla", exchange="NasdaqGS", ticker="TSLA", beta=1.62,
         cap="US$48b", size="large", date="April 2nd 2019"),
    dict(id="jnj", name="Johnson & Johnson", short="Johnson & Johnson", exchange="NYSE", ticker="JNJ", beta=0.56,
         cap="US$371b", size="large", date="March 21st 2019"),
    dict(id="carnival", name="Carnival Corporation", short="Carnival", exchange="NYSE", ticker="CCL", beta=1.38,
         cap="US$35b", size="large", date="May 7th 2019"),
    dict(id="kewaunee", name="Kewaunee Scientific Corporation", short="Kewaunee Scientific", exchange="NasdaqGM",
         ticker="KEQU", beta=0.71, cap="US$58m", size="small", date="March 27th 2019"),
    dict(id="consolidated-water", name="Consolidated Water Co. Ltd.", short="Consolidated Water", exchange="NasdaqGS",
         ticker="CWCO", beta=0.94, cap="US$207m", size="small", date="April 11th 2019"),
]


def volatility(f: dict) -> tuple[str, str]:
    name, short, ex, tk, beta = f["name"], f["short"], f["exchange"], f["ticker"], f["beta"]
    title = f"Does {name} ({ex}:{tk}) Have A Particularly Volatile Share Price?"
    if beta > 1.2:
        beta_para = (
            f"Zooming in on {name}, we see it has a five year beta of {beta}. This is above 1, so historically its "
            f"share price has been influenced by the broader volatility of the stock market. If the past is any "
            f"guide, we would expect that {short} shares will rise quicker than the markets in times of optimism, "
            f"but fall faster in times of pessimism. Many would argue that beta is useful in position sizing, but "
            f"fundamental metrics such as revenue and earnings are more important overall. You can see {short}'s "
            f"revenue and earnings in the image below."
        )
        takeaway = (
            f"Since {short} has a reasonably high beta, it's worth considering why it is so heavily influenced by "
            f"the broader market sentiment. For example, it might be a high growth stock or have a lot of operating "
            f"leverage in its business model."
        )
    elif beta >= 0.8:
        beta_para = (
            f"With a beta of {beta}, (which is quite close to 1) the share price of {name} has historically been "
            f"about as volatile as the broader market. Using history as a guide, we might surmise that the share "
            f"price is likely to be influenced by market volatility going forward but it probably won't be "
            f"particularly sensitive to it. Share price volatility is well worth considering, but most long term "
            f"investors consider the history of revenue and earnings growth to be more important. Take a look at "
            f"how {short} fares in that regard, below."
        )
        takeaway = (
            f"{short} has a beta value quite close to that of the overall market. That doesn't tell us much on its "
            f"own, so it may be worth asking whether the company is growing, or if it has a solid balance sheet."
        )
    else:
        beta_para = (
            f"{name} has a five-year beta of {beta}. This is below 1, so historically its share price has been "
            f"rather independent from the market. This means that, if history is a guide, buying the stock could "
            f"reduce overall volatility in a portfolio that is exposed to the broader market. Beta is worth "
            f"considering, but it's also important to consider whether {short} is growing earnings and revenue. "
            f"You can take a look for yourself, below."
        )
        takeaway = (
            f"One potential advantage of owning low beta stocks like {short} is that your overall portfolio won't "
            f"be too sensitive to overall market movements. However, this can be a blessing or a curse, depending "
            f"on what's happening in the broader market."
        )
    if f["size"] == "large":
        size_para = (
            f"{name} is a rather large company. It has a market capitalisation of {f['cap']}, which means it is "
            f"probably on the radar of most investors. It takes a lot of money to sway a company of this size, so "
            f"it is not surprising to see its share price follow the wider market."
        )
    else:
        size_para = (
            f"With a market capitalisation of {f['cap']}, {name} is a very small company by global standards. It is "
            f"quite likely to be unknown to most investors. Small companies often have a low beta value because "
            f"their share price tends to move based on developments relating to the company, rather than the market."
        )
    text = para(
        f"If you own shares in {name} ({ex}:{tk}) then it's worth thinking about how it contributes to the "
        f"volatility of your portfolio, overall. In finance, volatility is a measure of the size of price movements "
        f"of a security over time. Modern finance theory splits volatility into two types. The first type is company "
        f"specific volatility, the movement of one share price that is independent from other stocks. Holding at "
        f"least 8 stocks can reduce this kind of risk across a portfolio. The other type, which cannot be "
        f"diversified away, is the volatility of the entire market. Every stock in the market is exposed to this "
        f"volatility, which is linked to the fact that stock prices are correlated in an efficient market.",
        "Some stocks see their prices move in concert with the market. Others tend towards stronger, gentler or "
        "unrelated price movements. Beta can be a useful tool to understand how much a stock is influenced by "
        "market risk (volatility). However, Warren Buffett said 'volatility is far from synonymous with risk' in "
        "his 2014 letter to investors. So, while useful, beta is not the only metric to consider. To make good use "
        "of it you must first know that the beta of the overall market is one. A stock with a beta greater than one "
        "is more sensitive to broader market movements than a stock with a beta of less than one.",
        f"Check out our latest analysis for {short}",
        f"What we can learn from {short}'s five-year beta",
        beta_para,
        f"{ex}:{tk} Income Statement, {f['date']}",
        f"How does {short}'s size impact its beta?",
        size_para,
        "What this means for you:",
        takeaway + f" This article aims to educate investors about beta values, but it's well worth looking at "
        f"important company-specific fundamentals such as {short}'s financial health and performance track record. "
        f"I highly recommend you dive deeper by considering the following:",
        f"1. Future Outlook: What are well-informed industry analysts predicting for {tk}'s future growth? Take a "
        f"look at our free research report of analyst consensus for {tk}'s outlook.",
        f"2. Past Track Record: Has {tk} been consistently performing well irrespective of the ups and downs in "
        f"the market? Go into more detail in the past performance analysis and take a look at the free visual "
        f"representations of {tk}'s historical data for yourself.",
        "3. Other High-Performing Stocks: Are there any other stocks that provide better prospects with proven "
        "track records? Explore our free list of these great stocks here.",
        "We aim to bring you long-term focused research analysis driven by fundamental data. Note that our "
        "analysis may not factor in the latest price-sensitive company announcements or qualitative material.",
        "If you spot an error that warrants correction, please contact the editor at "
        "editorial-team@simplywallst.com. This article by Simply Wall St is general in nature. It does not "
        "constitute a recommendation to buy or sell any stock, and does not take account of your objectives, or "
        "your financial situation. Simply Wall St has no position in the stocks mentioned. Thank you for reading.",
    )
    return title, text


# 2. MarketBeat style "shares gap up / down" note ----------------------------

GAP = [
    dict(id="nvidia", name="NVIDIA Co.", short="NVIDIA", exchange="NASDAQ", ticker="NVDA", up=True, weekday="Tuesday",
         close="118.85", open="124.10", last="122.37", volume="246,771,914",
         brokers=[("Morgan Stanley", "144.00", "160.00", "overweight", "Thursday, August 29th"),
                  ("Bank of America", "150.00", "165.00", "buy", "Monday, September 9th"),
                  ("Bernstein", "155.00", "175.00", "outperform", "Friday, August 30th")],
         counts=(1, 4, 39), consensus="Moderate Buy", target="150.91",
         ratios=("3.53", "4.27", "0.17"), cap="3.00 trillion", pe="57.14", peg="1.42", beta="1.68",
         ma=("117.61", "104.39"), edate="Wednesday, August 28th", eps="0.68", beat=True, est="0.64", diff="0.04",
         rev="30.04 billion", revest="28.74 billion", roe="115.66", margin="55.04", growth="122.4", prev="0.25",
         fy="2.52",
         funds=[("Vanguard Group Inc.", "0.4", "2,188,313,578", "270,352,134,000", "8,920,436"),
                ("Geode Capital Management LLC", "2.1", "475,121,632", "57,456,002,000", "9,771,206")],
         inst="65.27",
         profile="NVIDIA Corporation provides graphics and compute and networking solutions in the United States, "
                 "Taiwan, China, and internationally. The Graphics segment offers GeForce GPUs for gaming and PCs, "
                 "the GeForce NOW game streaming service and related infrastructure, and solutions for gaming "
                 "platforms. The company was incorporated in 1993 and is headquartered in Santa Clara, California."),
    dict(id="starbucks", name="Starbucks Co.", short="Starbucks", exchange="NASDAQ", ticker="SBUX", up=True,
         weekday="Tuesday", close="77.19", open="95.33", last="94.66", volume="62,448,021",
         brokers=[("TD Cowen", "80.00", "100.00", "buy", "Wednesday, August 14th"),
                  ("BMO Capital Markets", "90.00", "105.00", "outperform", "Tuesday, August 13th"),
                  ("Piper Sandler", "83.00", "95.00", "neutral", "Thursday, August 15th")],
         counts=(1, 15, 13), consensus="Hold", target="96.26",
         ratios=("0.54", "0.75", "-3.57"), cap="107.22 billion", pe="26.14", peg="2.61", beta="0.97",
         ma=("79.18", "85.40"), edate="Tuesday, July 30th", eps="0.93", beat=False, est="0.94", diff="0.01",
         rev="9.11 billion", revest="9.23 billion", roe="-48.06", margin="11.57", growth="-0.6", prev="1.00",
         fy="3.46",
         funds=[("Norges Bank", "17.7", "13,052,442", "1,213,588,000", "1,961,003"),
                ("Capital Research Global Investors", "3.3", "9,811,200", "748,420,000", "316,551")],
         inst="72.29",
         profile="Starbucks Corporation, together with its subsidiaries, operates as a roaster, marketer, and "
                 "retailer of specialty coffee worldwide. It operates through three segments: North America, "
                 "International, and Channel Development. The company was founded in 1971 and is headquartered in "
                 "Seattle, Washington."),
    dict(id="boeing", name="The Boeing Company", short="Boeing", exchange="NYSE", ticker="BA", up=False,
         weekday="Wednesday", close="172.75", open="165.30", last="166.07", volume="12,307,518",
         brokers=[("Wells Fargo & Company", "200.00", "185.00", "equal weight", "Thursday, July 25th"),
                  ("Jefferies Financial Group", "250.00", "225.00", "buy", "Monday, August 5th"),
                  ("UBS Group", "260.00", "240.00", "buy", "Wednesday, July 31st")],
         counts=(1, 7, 15), consensus="Moderate Buy", target="222.83",
         ratios=("0.31", "1.14", "-9.63"), cap="102.13 billion", pe="-45.49", peg="-3.26", beta="1.53",
         ma=("177.57", "182.25"), edate="Wednesday, July 31st", eps="-2.90", beat=False, est="-1.97", diff="0.93",
         rev="16.87 billion", revest="17.23 billion", roe="-", margin="-3.84", growth="-15.0", prev="-0.82",
         fy="-5.01",
         funds=[("Bank of New York Mellon Corp", "1.1", "1,785,922", "325,528,000", "19,436"),
                ("Dimensional Fund Advisors LP", "8.8", "911,704", "166,183,000", "73,509")],
         inst="64.82",
         profile="The Boeing Company, together with its subsidiaries, designs, develops, manufactures, sales, "
                 "services, and supports commercial jetliners, military aircraft, satellites, missile defense, "
                 "human space flight and launch systems, and services worldwide. The company was incorporated in "
                 "1916 and is based in Arlington, Virginia."),
    dict(id="lululemon", name="lululemon athletica inc.", short="lululemon athletica", exchange="NASDAQ",
         ticker="LULU", up=False, weekday="Friday", close="258.12", open="243.00", last="245.90",
         volume="5,104,233",
         brokers=[("Robert W. Baird", "385.00", "305.00", "outperform", "Friday, August 30th"),
                  ("Citigroup", "300.00", "258.00", "neutral", "Thursday, August 29th"),
                  ("Stifel Nicolaus", "350.00", "290.00", "buy", "Friday, August 30th")],
         counts=(2, 17, 11), consensus="Hold", target="331.91",
         ratios=("1.41", "2.31", "0.00"), cap="31.30 billion", pe="19.48", peg="1.83", beta="1.25",
         ma=("265.44", "320.17"), edate="Thursday, August 29th", eps="3.15", beat=True, est="2.94", diff="0.21",
         rev="2.37 billion", revest="2.41 billion", roe="42.40", margin="16.56", growth="7.3", prev="2.68",
         fy="14.10",
         funds=[("Bessemer Group Inc.", "4.4", "4,371", "1,306,000", "185"),
                ("Principal Financial Group Inc.", "6.3", "61,077", "18,244,000", "3,601")],
         inst="85.20",
         profile="lululemon athletica inc., together with its subsidiaries, designs, distributes, and retails "
                 "technical athletic apparel, footwear, and accessories for women and men under the lululemon "
                 "brand. The company was founded in 1998 and is headquartered in Vancouver, Canada."),
    dict(id="paypal", name="PayPal Holdings, Inc.", short="PayPal", exchange="NASDAQ", ticker="PYPL", up=True,
         weekday="Thursday", close="70.61", open="72.75", last="73.10", volume="14,980,317",
         brokers=[("JPMorgan Chase & Co.", "70.00", "80.00", "neutral", "Wednesday, July 31st"),
                  ("Mizuho", "71.00", "78.00", "neutral", "Thursday, August 1st"),
                  ("Monness Crespi & Hardt", "86.00", "88.00", "buy", "Wednesday, July 31st")],
         counts=(1, 21, 14), consensus="Hold", target="77.20",
         ratios=("1.28", "1.28", "0.50"), cap="74.82 billion", pe="18.26", peg="1.39", beta="1.43",
         ma=("66.81", "63.90"), edate="Tuesday, July 30th", eps="1.19", beat=True, est="0.99", diff="0.20",
         rev="7.89 billion", revest="7.81 billion", roe="22.03", margin="14.29", growth="8.2", prev="1.16",
         fy="4.60",
         funds=[("Wellington Management Group LLP", "23.4", "9,734,412", "621,733,000", "1,846,007"),
                ("Ameriprise Financial Inc.", "5.0", "4,390,217", "280,393,000", "208,774")],
         inst="68.32",
         profile="PayPal Holdings, Inc. operates a technology platform that enables digital payments on behalf of "
                 "merchants and consumers worldwide. It provides payment solutions under the PayPal, PayPal Credit, "
                 "Braintree, Venmo, Xoom, Zettle, Hyperwallet, Honey, and PayPal Pay Later brands. The company was "
                 "founded in 1998 and is headquartered in San Jose, California."),
]


def gap(f: dict) -> tuple[str, str]:
    short, ex, tk = f["short"], f["exchange"], f["ticker"]
    way = "Up" if f["up"] else "Down"
    title = f"{short} ({ex}:{tk}) Shares Gap {way} - Here's Why"
    (b1, b2, b3) = f["brokers"]
    raise_word = "raised" if float(b1[2]) > float(b1[1]) else "cut"
    sell, hold, buy = f["counts"]
    qr, cr, de = f["ratios"]
    (i1, i2) = f["funds"]
    text = para(
        f"{f['name']} ({ex}:{tk}) shares gapped {way.lower()} before the market opened on {f['weekday']}. The "
        f"stock had previously closed at ${f['close']}, but opened at ${f['open']}. {short} shares last traded at "
        f"${f['last']}, with a volume of {f['volume']} shares.",
        "Analysts Set New Price Targets",
        f"A number of equities research analysts have weighed in on {tk} shares. {b1[0]} {raise_word} their price "
        f"objective on shares of {short} from ${b1[1]} to ${b1[2]} and gave the company an \"{b1[3]}\" rating in a "
        f"research note on {b1[4]}. {b2[0]} boosted their target price on shares of {short} from ${b2[1]} to "
        f"${b2[2]} and gave the stock a \"{b2[3]}\" rating in a research report on {b2[4]}. Finally, {b3[0]} set a "
        f"${b3[2]} price target on shares of {short} and gave the company an \"{b3[3]}\" rating in a report on "
        f"{b3[4]}. {sell} research analysts have rated the stock with a sell rating, {hold} have assigned a hold "
        f"rating and {buy} have issued a buy rating to the company's stock. According to MarketBeat.com, {short} "
        f"currently has a consensus rating of \"{f['consensus']}\" and a consensus target price of ${f['target']}.",
        f"{short} Stock Performance",
        f"The company has a quick ratio of {qr}, a current ratio of {cr} and a debt-to-equity ratio of {de}. The "
        f"business has a 50-day moving average price of ${f['ma'][0]} and a 200-day moving average price of "
        f"${f['ma'][1]}. The company has a market capitalization of ${f['cap']}, a P/E ratio of {f['pe']}, a P/E/G "
        f"ratio of {f['peg']} and a beta of {f['beta']}.",
        f"{short} ({ex}:{tk}) last announced its quarterly earnings results on {f['edate']}. The company reported "
        f"${f['eps']} earnings per share (EPS) for the quarter, {'topping' if f['beat'] else 'missing'} the "
        f"consensus estimate of ${f['est']} by ${f['diff']}. The firm had revenue of ${f['rev']} during the "
        f"quarter, compared to analysts' expectations of ${f['revest']}. {short} had a net margin of "
        f"{f['margin']}% and a return on equity of {f['roe']}%. The firm's quarterly revenue was "
        f"{'up' if not f['growth'].startswith('-') else 'down'} {f['growth'].lstrip('-')}% compared to the same "
        f"quarter last year. During the same quarter in the previous year, the business posted ${f['prev']} "
        f"earnings per share. Equities analysts anticipate that {f['name']} will post {f['fy']} earnings per share "
        f"for the current year.",
        f"Institutional Trading of {short}",
        f"Institutional investors have recently added to or reduced their stakes in the company. {i1[0]} lifted its "
        f"position in shares of {short} by {i1[1]}% in the 2nd quarter. {i1[0]} now owns {i1[2]} shares of the "
        f"company's stock worth ${i1[3]} after acquiring an additional {i1[4]} shares during the period. {i2[0]} "
        f"grew its position in {short} by {i2[1]}% during the 2nd quarter. {i2[0]} now owns {i2[2]} shares of the "
        f"company's stock worth ${i2[3]} after purchasing an additional {i2[4]} shares in the last quarter. "
        f"Institutional investors and hedge funds own {f['inst']}% of the company's stock.",
        f"About {short}",
        "(Get Free Report)",
        f["profile"],
        f"Should You Invest $1,000 in {short} Right Now?",
        f"Before you consider {short}, you'll want to hear this. MarketBeat keeps track of Wall Street's top-rated "
        f"and best performing research analysts and the stocks they recommend to their clients on a daily basis. "
        f"MarketBeat has identified the five stocks that top analysts are quietly whispering to their clients to buy "
        f"now before the broader market catches on... and {short} wasn't on the list. While {short} currently has a "
        f"\"{f['consensus']}\" rating among analysts, top-rated analysts believe these five stocks are better buys.",
        "View The Five Stocks Here",
        "Featured Stories",
        f"Five stocks we like better than {short}",
        "How to Invest in Small Cap Stocks",
        "3 Stocks to Consider Buying in October",
        "What is the Shanghai Stock Exchange Composite Index?",
        f"Receive News & Ratings for {short} Daily - Enter your email address below to receive a concise daily "
        f"summary of the latest news and analysts' ratings for {short} and related companies with MarketBeat.com's "
        f"FREE daily email newsletter.",
    )
    return title, text


# 3. AP / Automated Insights earnings snapshot ---------------------------------

EARNINGS = [
    dict(id="home-depot-q3", city="ATLANTA", name="The Home Depot Inc.", short="Home Depot", ticker="HD",
         weekday="Tuesday", fiscal=True, quarter="third", net="2.77 billion", hq="Atlanta", eps="$2.53",
         adj=None, n=8, est="$2.52", industry="home-improvement retailer", rev="27.22 billion", n2=6,
         revest="$27.53 billion", guide=("$10.03", None), sales_growth="1.8%", ytd=("risen", "39"), price="$238.85",
         change="a climb of 28%"),
    dict(id="home-depot-q2", city="ATLANTA", name="The Home Depot Inc.", short="Home Depot", ticker="HD",
         weekday="Tuesday", fiscal=True, quarter="second", net="3.47 billion", hq="Atlanta", eps="$3.17",
         adj=None, n=10, est="$3.09", industry="home-improvement retailer", rev="30.84 billion", n2=7,
         revest="$31.04 billion", guide=("$10.08", None), sales_growth="2.3%", ytd=("risen", "22"), price="$209.26",
         change="a climb of 12%"),
    dict(id="lowes", city="MOORESVILLE, N.C.", name="Lowe's Companies Inc.", short="Lowe's", ticker="LOW",
         weekday="Wednesday", fiscal=True, quarter="third", net="1.05 billion", hq="Mooresville, North Carolina",
         eps="$1.36", adj="$1.41", n=9, est="$1.35", industry="home improvement chain", rev="17.39 billion", n2=7,
         revest="$17.29 billion", guide=("$5.63", "$5.70"), sales_growth="2%", ytd=("risen", "23"), price="$113.40",
         change="a climb of 22%"),
    dict(id="dollar-general", city="GOODLETTSVILLE, Tenn.", name="Dollar General Corp.", short="Dollar General",
         ticker="DG", weekday="Thursday", fiscal=True, quarter="third", net="347.9 million",
         hq="Goodlettsville, Tennessee", eps="$1.35", adj=None, n=12, est="$1.32", industry="discount retailer",
         rev="6.99 billion", n2=9, revest="$6.97 billion", guide=("$6.42", "$6.52"), sales_growth="8%",
         ytd=("climbed", "44"), price="$156.42", change="a climb of 47%"),
    dict(id="best-buy", city="RICHFIELD, Minn.", name="Best Buy Co. Inc.", short="Best Buy", ticker="BBY",
         weekday="Tuesday", fiscal=True, quarter="third", net="292 million", hq="Richfield, Minnesota",
         eps="$1.13", adj="$1.13", n=11, est="$1.03", industry="consumer electronics retailer",
         rev="9.76 billion", n2=8, revest="$9.7 billion", guide=("$5.67", "$5.77"), sales_growth="1.5%",
         ytd=("climbed", "42"), price="$75.26", change="a climb of 5%"),
    dict(id="target", city="MINNEAPOLIS", name="Target Corp.", short="Target", ticker="TGT", weekday="Wednesday",
         fiscal=True, quarter="third", net="714 million", hq="Minneapolis", eps="$1.39", adj="$1.36", n=15,
         est="$1.63", industry="retailer", rev="18.67 billion", n2=12, revest="$17.93 billion",
         guide=("$6.25", "$6.45"), sales_growth="3.4%", ytd=("risen", "70"), price="$111.91",
         change="a climb of 44%"),
]


def amount(text: str) -> float:
    """$ 27.53 billion -> 27.53e9."""
    number, *unit = text.lstrip("$").split()
    return float(number) * {"million": 1e6, "billion": 1e9}.get(unit[0] if unit else "", 1)


def earnings(f: dict) -> tuple[str, str]:
    short, tk = f["short"], f["ticker"]
    q = {"first": "1", "second": "2", "third": "3", "fourth": "4"}[f["quarter"]]
    title = f"{short}: {'Fiscal ' if f['fiscal'] else ''}Q{q} Earnings Snapshot"
    eps, est = amount(f["eps"]), amount(f["est"])
    beat = "surpassed" if eps > est else ("matched" if eps == est else "missed")
    lines = [
        f"{f['city']} (AP) — {f['name']} ({tk}) on {f['weekday']} reported {'fiscal ' if f['fiscal'] else ''}"
        f"{f['quarter']}-quarter net income of ${f['net']}.",
        f"The {f['hq']}-based company said it had profit of {f['eps']} per share.",
    ]
    if f["adj"]:
        lines.append(f"Earnings, adjusted for one-time gains and costs, were {f['adj']} per share.")
    lines += [
        f"The results {beat} Wall Street expectations. The average estimate of {f['n']} analysts surveyed by Zacks "
        f"Investment Research was for earnings of {f['est']} per share.",
        f"The {f['industry']} posted revenue of ${f['rev']} in the period, which "
        f"{'fell short of' if amount(f['revest']) > amount(f['rev']) else 'also topped'} Street forecasts. "
        f"{f['n2']} analysts "
        f"surveyed by Zacks expected {f['revest']}.",
    ]
    low, high = f["guide"]
    if high:
        lines.append(f"{short} expects full-year earnings in the range of {low} to {high} per share.")
    else:
        lines.append(f"{short} expects full-year earnings to be {low} per share, with revenue growth of "
                     f"approximately {f['sales_growth']}.")
    lines += [
        f"{short} shares have {f['ytd'][0]} {f['ytd'][1]}% since the beginning of the year, while the S&P's "
        f"index has increased 24%. In the final minutes of trading on {f['weekday']}, shares hit {f['price']}, "
        f"{f['change']} in the last 12 months.",
        "_____",
        "This story was generated by Automated Insights (http://automatedinsights.com/ap) using data from Zacks "
        f"Investment Research. Access a Zacks stock report on {tk} at https://www.zacks.com/ap/{tk}",
        "_____",
        f"Keywords: {short}, Earnings Report, Priority Earnings Report",
    ]
    return title, para(*lines)


# 4. USA TODAY Network style state lottery results -------------------------------

LOTTERY = [
    dict(id="ohio-0504", state="Ohio", weekday="Saturday", month="May", day=4, year=2024,
         powerball=("14-16-35-38-56", "7", "2"),
         games=[("Pick 3", [("Midday", "5-1-0"), ("Evening", "9-2-8")]),
                ("Pick 4", [("Midday", "3-3-7-1"), ("Evening", "0-6-4-9")]),
                ("Pick 5", [("Midday", "2-7-0-1-5"), ("Evening", "8-8-3-6-2")]),
                ("Rolling Cash 5", [("", "04-11-19-27-33")]),
                ("Classic Lotto", [("", "03-09-22-31-40-47, Kicker: 5-9-1-0-3-8")])],
         office="Ohio Lottery Cleveland Office, 1801 E. 9th Street, Suite 200, Cleveland, OH 44114"),
    dict(id="ohio-0508", state="Ohio", weekday="Wednesday", month="May", day=8, year=2024,
         powerball=("02-10-17-23-66", "21", "3"),
         games=[("Pick 3", [("Midday", "7-7-2"), ("Evening", "1-4-0")]),
                ("Pick 4", [("Midday", "9-0-5-8"), ("Evening", "2-6-6-3")]),
                ("Pick 5", [("Midday", "4-1-9-9-0"), ("Evening", "6-3-2-5-7")]),
                ("Rolling Cash 5", [("", "01-08-15-30-36")]),
                ("Classic Lotto", [("", "05-12-18-29-38-44, Kicker: 2-0-7-7-4-1")])],
         office="Ohio Lottery Cleveland Office, 1801 E. 9th Street, Suite 200, Cleveland, OH 44114"),
    dict(id="michigan-0504", state="Michigan", weekday="Saturday", month="May", day=4, year=2024,
         powerball=("14-16-35-38-56", "7", "2"),
         games=[("Daily 3", [("Midday", "6-2-9"), ("Evening", "0-3-1")]),
                ("Daily 4", [("Midday", "8-1-4-4"), ("Evening", "5-9-0-2")]),
                ("Fantasy 5", [("", "07-13-21-29-35")]),
                ("Keno", [("", "01-05-09-14-20-26-31-37-42-45-50-53-58-61-66-69-70-74-77-80-2-3")]),
                ("Lotto 47", [("", "06-11-24-30-39-45")])],
         office="Michigan Lottery Detroit Regional Office, 3062 W. Grand Blvd., Suite L-700, Detroit, MI 48202"),
    dict(id="texas-0504", state="Texas", weekday="Saturday", month="May", day=4, year=2024,
         powerball=("14-16-35-38-56", "7", "2"),
         games=[("Pick 3", [("Morning", "4-0-7, FIREBALL: 2"), ("Day", "9-9-1, FIREBALL: 6"),
                            ("Evening", "2-5-8, FIREBALL: 0"), ("Night", "6-1-3, FIREBALL: 8")]),
                ("Daily 4", [("Morning", "1-7-2-0"), ("Day", "3-8-8-5"), ("Evening", "6-0-4-1"),
                             ("Night", "9-2-7-7")]),
                ("Cash Five", [("", "03-14-22-26-34")]),
                ("Lotto Texas", [("", "02-08-17-31-44-51")]),
                ("Texas Two Step", [("", "05-12-27-33, Bonus: 19")])],
         office="Texas Lottery Austin Claim Center, 1700 N. Congress Ave., Suite 100, Austin, TX 78701"),
    dict(id="florida-0508", state="Florida", weekday="Wednesday", month="May", day=8, year=2024,
         powerball=("02-10-17-23-66", "21", "3"),
         games=[("Pick 2", [("Midday", "8-3, FB: 4"), ("Evening", "1-6, FB: 0")]),
                ("Pick 3", [("Midday", "3-5-2, FB: 4"), ("Evening", "7-0-9, FB: 0")]),
                ("Pick 4", [("Midday", "6-6-1-8, FB: 4"), ("Evening", "2-4-0-3, FB: 0")]),
                ("Fantasy 5", [("Midday", "03-10-24-28-35"), ("Evening", "09-15-16-22-33")]),
                ("Florida Lotto", [("", "05-18-29-32-40-52, Double Play: 01-08-12-37-44-49")])],
         office="Florida Lottery Headquarters, 250 Marriott Drive, Tallahassee, FL 32301"),
]


def lottery(f: dict) -> tuple[str, str]:
    state = f["state"]
    date = f"{f['weekday']}, {f['month']} {f['day']}, {f['year']}"
    short_date = f"{f['month']} {f['day']}"
    title = f"{state} Lottery results: See winning numbers for Powerball, {f['games'][0][0]} on {date}"
    numbers, pb, pp = f["powerball"]
    lines = [
        f"The {state} Lottery offers multiple draw games for those aiming to win big. Here's a look at {date}, "
        f"results for each game:",
        f"Winning Powerball numbers from {short_date} drawing",
        f"{numbers}, Powerball: {pb}, Power Play: {pp}",
        "Check Powerball payouts and previous drawings here.",
    ]
    for game, draws in f["games"]:
        lines.append(f"Winning {game} numbers from {short_date} drawing")
        lines += [f"{label}: {n}" if label else n for label, n in draws]
        lines.append(f"Check {game} payouts and previous drawings here.")
    lines += [
        "Feeling lucky? Explore the latest lottery news & results",
        f"Are you a winner? Here's how to claim your lottery prize",
        f"All {state} Lottery retailers will redeem prizes up to $599. For prizes over $599, winners can claim "
        f"their prize at any {state} Lottery claim center or by mail. Prizes over $50,000 must be claimed in "
        f"person at {f['office']}. Winners have 180 days from the draw date to claim their prize.",
        f"When are the {state} Lottery drawings held?",
        "Powerball: 10:59 p.m. ET on Monday, Wednesday, and Saturday.",
        "Mega Millions: 11 p.m. ET on Tuesday and Friday.",
        f"Is there a Powerball jackpot winner in {state}?",
        f"This results page was generated automatically using information from TinBu and a template written and "
        f"reviewed by a {state} editor. You can send feedback using this form.",
    ]
    return title, para(*lines)


# 5. AP style NHL game recap ---------------------------------------------------

RECAP = [
    dict(id="bruins-rangers", city="BOSTON", scorer="David Pastrnak", how="scored twice and had an assist",
         winner="Boston Bruins", wshort="Bruins", loser="New York Rangers", lshort="Rangers", score="4-2",
         weekday="Thursday", others=("Charlie Coyle", "Brad Marchand"), streak="won three straight",
         wgoalie="Jeremy Swayman", wsaves=31, lscorers="Mika Zibanejad and Chris Kreider",
         lstreak="lost two in a row", lgoalie="Igor Shesterkin", lsaves=25,
         key=("Pastrnak", "Marchand", "second period", "14:12", "power play"),
         upnext=("Host Toronto on Saturday night.", "At Philadelphia on Saturday.")),
    dict(id="mapleleafs-bruins", city="BOSTON", scorer="Auston Matthews", how="scored twice",
         winner="Toronto Maple Leafs", wshort="Maple Leafs", loser="Boston Bruins", lshort="Bruins", score="3-1",
         weekday="Saturday", others=("William Nylander", "Mitch Marner"), streak="won four of five",
         wgoalie="Joseph Woll", wsaves=29, lscorers="Pavel Zacha", lstreak="had won three straight",
         lgoalie="Linus Ullmark", lsaves=27,
         key=("Matthews", "Nylander", "third period", "6:48", "rebound"),
         upnext=("At Montreal on Monday night.", "Host Florida on Tuesday night.")),
    dict(id="oilers-flames", city="EDMONTON, Alberta", scorer="Connor McDavid", how="had a goal and three assists",
         winner="Edmonton Oilers", wshort="Oilers", loser="Calgary Flames", lshort="Flames", score="5-3",
         weekday="Saturday", others=("Leon Draisaitl", "Zach Hyman"), streak="won six straight",
         wgoalie="Stuart Skinner", wsaves=27, lscorers="Nazem Kadri, Blake Coleman and Andrew Mangiapane",
         lstreak="lost three of four", lgoalie="Jacob Markstrom", lsaves=33,
         key=("McDavid", "Draisaitl", "first period", "8:31", "power play"),
         upnext=("Host Vegas on Tuesday night.", "At Seattle on Monday night.")),
    dict(id="avalanche-stars", city="DENVER", scorer="Nathan MacKinnon", how="scored in overtime",
         winner="Colorado Avalanche", wshort="Avalanche", loser="Dallas Stars", lshort="Stars", score="3-2",
         weekday="Wednesday", others=("Mikko Rantanen", "Cale Makar"), streak="won five of six",
         wgoalie="Alexandar Georgiev", wsaves=35, lscorers="Jason Robertson and Roope Hintz",
         lstreak="had won four straight", lgoalie="Jake Oettinger", lsaves=30,
         key=("MacKinnon", "Makar", "second period", "11:05", "one-timer"),
         upnext=("At Chicago on Friday night.", "Host Nashville on Friday night.")),
    dict(id="lightning-panthers", city="TAMPA, Fla.", scorer="Nikita Kucherov", how="had a goal and two assists",
         winner="Tampa Bay Lightning", wshort="Lightning", loser="Florida Panthers", lshort="Panthers",
         score="6-3", weekday="Tuesday", others=("Brayden Point", "Steven Stamkos"), streak="won three of four",
         wgoalie="Andrei Vasilevskiy", wsaves=24, lscorers="Sam Reinhart, Carter Verhaeghe and Matthew Tkachuk",
         lstreak="lost two straight", lgoalie="Sergei Bobrovsky", lsaves=22,
         key=("Kucherov", "Point", "first period", "3:57", "power play"),
         upnext=("Host Detroit on Thursday night.", "At Carolina on Thursday night.")),
]


def recap(f: dict) -> tuple[str, str]:
    w, l, s = f["wshort"], f["lshort"], f["score"]
    last = f["scorer"].split()[-1]
    title = f"{last} {f['how'].split(' and ')[0]} as {w} beat {l} {s}"
    k1, k2, period, clock, play = f["key"]
    text = para(
        f"{f['city']} (AP) — {f['scorer']} {f['how']}, and the {f['winner']} beat the {f['loser']} {s} on "
        f"{f['weekday']} night.",
        f"{f['others'][0]} and {f['others'][1]} also scored for the {w}, who have {f['streak']}. {f['wgoalie']} "
        f"made {f['wsaves']} saves.",
        f"{f['lscorers']} scored for the {l}, who {f['lstreak']}. {f['lgoalie']} stopped {f['lsaves']} shots.",
        f"{k1} put the {w} ahead for good at {clock} of the {period}, finishing off a pass from {k2} on a "
        f"{play}. The {l} pushed late but could not beat {f['wgoalie'].split()[-1]} again.",
        "TAKEAWAYS",
        f"{l}: The {l} were outshot in the opening period and spent much of the night chasing the game.",
        f"{w}: The {w} got contributions from all four lines and killed off every penalty.",
        "KEY MOMENT",
        f"{k1}'s goal at {clock} of the {period} gave the {w} a lead they never gave back.",
        "KEY STAT",
        f"{k1} has {7 + len(k1) % 5} goals in his last {10 + len(k2) % 4} games.",
        "UP NEXT",
        f"{l}: {f['upnext'][1]}",
        f"{w}: {f['upnext'][0]}",
        "___",
        "AP NHL: https://apnews.com/hub/NHL",
    )
    return title, text


# 6. Local weather forecast ------------------------------------------------------

WEATHER = [
    dict(id="chicago", city="Chicago", state="Illinois", weekday="Tuesday", month="June", day=11,
         sky="mostly sunny", high=84, low=66, wind=("southwest", 10, 15), gust=25, rain=10, uv=8,
         tomorrow=("Wednesday", "partly cloudy", 88, "a chance of thunderstorms after 2 p.m."),
         sunrise="5:15 a.m.", sunset="8:27 p.m."),
    dict(id="denver", city="Denver", state="Colorado", weekday="Tuesday", month="June", day=11,
         sky="sunny", high=91, low=59, wind=("south", 5, 10), gust=20, rain=0, uv=10,
         tomorrow=("Wednesday", "mostly sunny", 93, "isolated showers in the evening"),
         sunrise="5:32 a.m.", sunset="8:29 p.m."),
    dict(id="seattle", city="Seattle", state="Washington", weekday="Wednesday", month="June", day=12,
         sky="mostly cloudy", high=64, low=52, wind=("southwest", 5, 10), gust=15, rain=40, uv=5,
         tomorrow=("Thursday", "showers likely", 61, "a steady rain through the afternoon"),
         sunrise="5:11 a.m.", sunset="9:08 p.m."),
    dict(id="phoenix", city="Phoenix", state="Arizona", weekday="Wednesday", month="June", day=12,
         sky="sunny", high=111, low=86, wind=("west", 5, 10), gust=20, rain=0, uv=11,
         tomorrow=("Thursday", "sunny", 113, "an excessive heat warning in effect"),
         sunrise="5:19 a.m.", sunset="7:39 p.m."),
    dict(id="boston", city="Boston", state="Massachusetts", weekday="Tuesday", month="June", day=11,
         sky="partly sunny", high=73, low=58, wind=("east", 10, 15), gust=20, rain=20, uv=7,
         tomorrow=("Wednesday", "mostly sunny", 79, "clouds moving in overnight"),
         sunrise="5:07 a.m.", sunset="8:21 p.m."),
]


def weather(f: dict) -> tuple[str, str]:
    city, st, day = f["city"], f["state"], f["weekday"]
    title = f"{city} weather: {f['sky'].capitalize()} with a high of {f['high']} degrees on {day}"
    dirn, w1, w2 = f["wind"]
    t_day, t_sky, t_high, t_note = f["tomorrow"]
    rain = "Rain is not expected." if f["rain"] == 0 else f"There is a {f['rain']}% chance of rain."
    text = para(
        f"Expect {f['sky']} skies in {city} on {day}, {f['month']} {f['day']}, with a high near {f['high']} degrees "
        f"and a low around {f['low']}, according to the National Weather Service.",
        f"Winds will blow from the {dirn} at {w1} to {w2} mph, with gusts as high as {f['gust']} mph. {rain} The "
        f"UV index will reach {f['uv']}, so sunscreen is recommended if you plan to spend time outdoors.",
        f"Looking ahead, {t_day} will be {t_sky} in {city} with a high near {t_high} and {t_note}".rstrip(".") + ".",
        f"Sunrise in {city} is at {f['sunrise']} and sunset is at {f['sunset']}",
        f"Here is the extended forecast for {city}, {st}:",
        f"{day}: {f['sky'].capitalize()}, high {f['high']}, low {f['low']}.",
        f"{t_day}: {t_sky.capitalize()}, high {t_high}, low {f['low'] + 2}.",
        "This forecast was generated automatically with data from the National Weather Service and reviewed by "
        "an editor. Conditions can change quickly; check the latest forecast before you head out.",
        f"Get the latest {city} news and weather delivered to your inbox with our free daily newsletter.",
    )
    return title, text


FRAMES = {
    "volatility": (volatility, VOLATILITY, "Simply Wall St \"Does X Have A Particularly Volatile Share Price?\""),
    "gap": (gap, GAP, "MarketBeat \"X Shares Gap Up/Down - Here's Why\""),
    "earnings": (earnings, EARNINGS, "AP / Automated Insights \"X: Fiscal Q3 Earnings Snapshot\""),
    "lottery": (lottery, LOTTERY, "USA TODAY Network \"<State> Lottery results\" pages"),
    "recap": (recap, RECAP, "AP NHL game recaps"),
    "weather": (weather, WEATHER, "automated local forecasts from National Weather Service data"),
}


def build() -> dict[str, dict]:
    out = {}
    for frame, (make, fills, modelled_on) in FRAMES.items():
        cases = []
        for f in fills:
            title, text = make(f)
            cases.append({"id": f["id"], "title": title, "text": text})
        out[frame] = {"frame": frame, "modelled_on": modelled_on, "cases": cases}
    return out


if __name__ == "__main__":
    for frame, data in build().items():
        (HERE / f"{frame}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(frame, len(data["cases"]))
