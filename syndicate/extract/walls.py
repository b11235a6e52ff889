"""Extracted texts that are a wall or a notice rather than a story.

A crawler that meets a paywall, a log-in prompt, an ad-blocker notice, a
cookie banner, an error page, a "please enable JavaScript" page or an age gate
often gets that notice as the page's "article": trafilatura keeps it because
it is the only prose on the page. Such a page carries no story and must never
be matched (every paywalled page of a site would look like a copy of every
other). Where the notice only sits before or after a real article (a
"Subscribe to continue reading" line above the lead, a cookie banner below the
last paragraph), the article stays and the notice lines go.

:func:`judge_text` is the API (:func:`wall_reason` judges one line). It
reads the text one line (one paragraph) at a time: a line is a *wall line*
when it is short enough to be a notice and matches one of the phrase patterns
below, written from the notices in the real pages of the shared corpora
(banners and prompts in their HTML) and the wording users reported, in
English, German, French, Spanish, Italian, Portuguese and Dutch, with a few
phrases in Japanese. Wall lines, with the buttons, blank lines and short
sentences among them, make *wall runs*. The text is a wall when what is left
without its runs is no article by ``Article.has_article``'s rule and the
runs either made it look like one or hold half its words; otherwise the runs
at its start and end are dropped and the rest is the article.

Each pattern group sits behind a plain substring (its trigger) that a line
must hold before the group's regex is tried, and most texts are decided by
one long paragraph that no run can take (then only the edges are read): the
cost is tens of microseconds for a typical article.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass


PAYWALL = "paywall"
REGISTRATION = "registration"
ADBLOCK = "adblock"
CONSENT = "consent"
ERROR_PAGE = "error_page"
JAVASCRIPT = "javascript"
AGE_GATE = "age_gate"
REASONS = (ERROR_PAGE, AGE_GATE, JAVASCRIPT, ADBLOCK, PAYWALL, REGISTRATION, CONSENT)
"""Every reason, in the order a line matching two kinds is given the first (an "Already a
subscriber? Log in" line is a paywall's, not a log-in prompt's)."""

MAX_WALL_LINE_WORDS = 60
"""A matching line longer than this is an article paragraph that mentions logging in or
cookies, not a notice. In the corpora the longest notices run to about 50 words (the
Telegraph's ad-blocker notice as one paragraph, cookie banners listing their purposes), and
the one article paragraph that matches a strong pattern has 65 ("... you have to log in from
another machine")."""

WALL_SHARE = 0.5
"""A text is a wall when what is left without its wall lines is no article (below), and either
the wall lines are what made it look like one or they hold at least this share of its words.
The share only names the wall of pages that carry no article anyway (a page of menus with a
"Log in to comment" line is not a log-in wall)."""

MIN_ARTICLE_WORDS = 25
MIN_PARAGRAPH_WORDS = 15
LIST_ARTICLE_WORDS = 80
"""What an article is (``Article.has_article`` imports these): at least MIN_ARTICLE_WORDS words and,
below LIST_ARTICLE_WORDS words, one paragraph of MIN_PARAGRAPH_WORDS (a short list of headlines, an
index page, has none; from LIST_ARTICLE_WORDS words on, a text of short lines, a calendar, counts).
A text is a wall only when what is left without its notices is no article by this rule, so a text
whose other lines are an article is never a wall, however long its notices."""

MAX_WEAK_LINE_WORDS = 15
"""Patterns marked weak (a bare topic such as "third-party cookies", "ad blocker", "free trial",
"subscription required") make a wall line only of a line this short: in a longer line they are
an article's subject, where the strong patterns ("we use cookies", "subscribe to continue
reading", "please disable your ad blocker") speak to the reader about the page itself. The
article lines of the corpora that hold a weak pattern have 19 words and more."""

MAX_GAP_WORDS = 20
"""A line without a pattern this short, between two wall lines, is part of the notice."""

MAX_HEADING_WORDS = 8
"""A line this short just before a run of wall lines is the notice's heading (when the whole
text is judged; never when wall lines are dropped from the edges of an article)."""

MAX_BUTTON_WORDS = 4
"""A line this short that is a wall's button ("Subscribe now", "Log in", "Accept", "OK") goes
with the wall lines it sits among, and only with them."""


@dataclass(frozen=True)
class WallVerdict:
    """What :func:`judge_text` found.

    ``text`` is the text without the wall lines at its start and end (the
    text unchanged when there are none); ``reason`` is None for an article
    (possibly with wall lines dropped), else the kind of wall the whole text
    is; ``dropped`` counts the lines removed.
    """

    text: str
    reason: str | None
    dropped: int


# Each reason: (trigger, patterns) groups. A group's patterns are only tried on a line whose
# lower-cased text holds its trigger: the trigger is a condition of every pattern of the group
# (mostly a literal part of it). Patterns run on the lower-cased line, typographic apostrophes
# made plain, so they are written in lower case. A pattern marked "~" is weak: a bare topic
# ("ad blocker", "free trial"), tried only on lines of MAX_WEAK_LINE_WORDS words.
_GROUPS: dict[str, list[tuple[str, list[str]]]] = {
    PAYWALL: [
        ("subscri", [
            # en: metered and hard paywalls, the pitch that replaces the story
            r"subscrib\w* (?:now |today )?to (?:continue|keep) reading", r"subscribe (?:now|today) (?:to|and|for)",
            r"~subscrib\w* (?:now |today )?(?:to|and) (?:read|unlock|get (?:full|unlimited)|access|enjoy)",
            r"subscribing to our services", r"^subscribe to (?:read|continue)\b", r"(?:already|become) an? (?:digital |print |paying )?subscriber",
            r"(?:article|story|content|page|feature|post) is (?:only |exclusively )?(?:available|reserved|exclusive) (?:only )?(?:to|for) (?:our )?(?:paying |digital |premium )?subscribers",
            r"~(?:only|exclusive(?:ly)?|reserved|available) (?:available )?(?:to|for) (?:our )?(?:paying |digital |premium )?subscribers",
            r"~subscribers? only", r"~subscriber[- ]exclusive", r"~for subscribers\b", r"~subscription (?:is )?required", r"~requires? an? (?:\w+ )?subscription",
            r"^subscribe now\b", r"subscribe (?:for|from) (?:just |only )?[$£€]",
            r"~(?:unlimited|full|premium|digital) access.{0,60}subscri", r"~subscri.{0,60}(?:unlimited|full|premium|digital) access",
        ]),
        ("free article", [
            r"~\d+ free articles?", r"free articles? (?:left|remaining)",
            r"(?:used|read|reached|viewed) (?:all |up )?(?:of )?your (?:\w+ )?free articles?",
        ]),
        ("article", [
            r"\b\d+ (?:of|out of) \d+ (?:free )?articles? (?:read|left|remaining)",
            r"you(?:'ve| have) (?:read|reached|viewed) your (?:\w+ )?(?:last )?(?:free )?articles?", r"this is your last free article",
            r"~(?:read|access) (?:up to )?\d+ (?:free )?articles", r"~(?:monthly|free) article limit",
        ]),
        ("report", [r"registered users can read (?:up to )?\d+ (?:free )?reports", r"~read (?:up to )?\d+ (?:free )?reports"]),
        ("limit", [
            r"you(?:'ve| have) (?:reached|hit|exceeded) (?:your|the) (?:monthly |weekly |free )?(?:\w+ )?limit",
            r"~(?:reached|hit|exceeded) (?:your|the) (?:monthly |weekly |free )?(?:\w+ )?limit",
        ]),
        ("trial", [r"~(?:take|start|begin|get|claim) (?:a |an |your )?(?:\d+[- ]day )?free trial", r"~free trial (?:now|today|offer)"]),
        ("continue reading", [
            r"(?:to|and) continue reading(?: this (?:article|story))?,? (?:please )?(?:subscribe|sign|log|register|become|create|choose|join|buy)",
            r"continue reading with", r"continue reading for (?:just |only )?[$£€]",
        ]),
        ("premium", [r"~(?:contenido|art[ií]culo|article|contenu) premium", r"~(?:this|a) premium (?:article|story|content)", r"~premium (?:article|content) (?:for|only)", r"~unlock (?:this )?premium"]),
        ("paywall", [r"~paywall"]),
        ("unlock", [r"unlock (?:this|the full|full|the rest of (?:this|the)) (?:article|story|content)"]),
        ("as low as", [r"~as low as [$£€]\s?\d[\d.,]* (?:a|per|/) ?(?:week|month|wk|mo)"]),
        ("access to", [
            r"(?:get|gain|enjoy) (?:unlimited |full |instant )?(?:digital )?access to (?:all )?(?:of )?our (?:articles|stories|content|journalism|reporting)",
            r"~(?:get|gain|enjoy) (?:unlimited |full |instant )?(?:digital )?access to (?:all )?(?:articles|stories|content|journalism)",
        ]),
        # de, fr, nl (it below)
        ("abo", [
            r"(?:artikel|beitrag|inhalt|text) (?:ist |steht )?(?:nur |exklusiv )(?:für|fuer) (?:unsere )?(?:abonnent|digital-?abonnent)",
            r"exklusiv (?:für|fuer) (?:unsere )?(?:abonnent|digital-?abonnent)", r"~nur (?:für|fuer) (?:unsere )?abonnent",
            r"(?:bereits|schon) (?:\w+ )?(?:abonnent|ein abo)", r"jetzt (?:\w+ )?abo(?:nnieren| abschließen| abschliessen| sichern| wählen)",
            r"mit (?:einem |dem )?(?:\w+[- ])?abo (?:weiterlesen|lesen|zugreifen|freischalten)", r"~abo(?:nnement)? (?:erforderlich|notwendig)",
            r"abonnieren sie (?:jetzt )?(?:\w+ )?(?:um|,|und) (?:\w+ )?(?:weiter|zu lesen|zugriff)", r"abopflichtig",
            r"(?:article|contenu|la suite|cet article|ce contenu) (?:\w+ ){0,2}(?:est )?(?:réservée?|accessible|destinée?) (?:uniquement )?aux abonnés",
            r"~(?:réservée?s?|destinée?s?|accessibles?) (?:uniquement )?aux abonnés", r"déjà abonné",
            r"abonnez-vous (?:pour|dès|à partir|et) .{0,40}(?:lire|accès|accéder|continuer|suite|€)", r"~(?:article|contenu) abonné",
            r"(?:artikel|verhaal) is (?:alleen|exclusief|uitsluitend) (?:voor|beschikbaar voor) abonnees", r"~(?:alleen|exclusief|uitsluitend) (?:voor|beschikbaar voor) abonnees",
            r"(?:word|bent u al|ben je al|al) abonnee", r"lees (?:verder|dit artikel|het hele artikel) (?:met|als) (?:een )?(?:\w+ )?(?:abonnement|abonnee)",
        ]),
        ("abbon", [
            r"(?:articolo|contenuto) (?:\w+ )?(?:riservat[oa]|dedicat[oa]|esclusiv[oa]) (?:agli |per gli |ai )?abbonati",
            r"~(?:riservat[oa]|dedicat[oa]|esclusiv[oa]) (?:agli |per gli |ai )?abbonati", r"(?:sei già|già) abbonato",
            r"abbonati (?:per|a partire|ora|subito) .{0,40}(?:leggere|continuare|accesso|€)", r"~abbonamento (?:richiesto|necessario)",
        ]),
        ("weiterlesen", [r"weiterlesen mit", r"~jetzt (?:\w+ )?weiterlesen"]),
        ("lesen sie", [r"lesen sie (?:jetzt )?(?:weiter|den (?:ganzen|vollständigen) artikel) mit"]),
        ("zugang", [r"~(?:unbegrenzt|unbeschränkt|voll)\w* zugang (?:zu|auf) (?:allen |alle )?(?:artikel|inhalt|beiträg)"]),
        ("plus", [r"~\bplus-?(?:artikel|inhalt)\b", r"mit (?:\w+ ?)?plus (?:weiterlesen|lesen)"]),
        ("il vous reste", [r"il vous reste \d+ ?% de (?:cet|l')article"]),
        ("la suite", [r"la suite (?:de cet article )?est réservée", r"lire la suite,? (?:abonnez|connectez|inscrivez)"]),
        # es / pt
        ("suscr", [
            r"(?:contenido|art[ií]culo|noticia) (?:\w+ )?(?:exclusiv[oa]|reservad[oa]|disponible) (?:solo |sólo |únicamente )?(?:para|a) (?:nuestros )?suscriptores",
            r"~(?:exclusiv[oa]|reservad[oa]) (?:solo |sólo |únicamente )?(?:para|a) (?:nuestros )?suscriptores",
            r"suscr[ií]bete (?:para|y|ahora|desde) .{0,40}(?:leer|seguir|continuar|acceso|€|\$)", r"(?:ya eres|eres) suscriptor", r"hazte suscriptor",
            r"~(?:contenido|art[ií]culo) para suscriptores",
        ]),
        ("assin", [
            r"(?:conteúdo|matéria|reportagem|texto|artigo) (?:\w+ )?(?:exclusiv[oa]|restrit[oa]|dispon[ií]vel) (?:apenas |somente |só )?(?:para|a|aos) (?:os )?assinantes",
            r"~(?:exclusiv[oa]|restrit[oa]|apenas|somente|s[óo]) (?:\w+ )?(?:para|a|aos) (?:os )?assinantes",
            r"(?:já é|já sou|seja) assinante", r"assine (?:já|agora|para|e) .{0,40}(?:ler|continuar|acesso|acessar|r\$)", r"~(?:para|aos) assinantes",
        ]),
        ("conteúdo", [r"~conteúdo (?:exclusivo|restrito)"]),
        ("límite", [r"(?:has|ha) (?:alcanzado|llegado a|superado) (?:el|tu) límite"]),
        ("limite", [r"(?:você )?(?:atingiu|chegou ao|alcançou) (?:o )?(?:seu )?limite", r"hai raggiunto il limite", r"vous avez atteint (?:la |votre )?limite"]),
    ],
    REGISTRATION: [
        ("free article", [r"(?:read|reading) (?:additional|more) free articles"]),
        ("regist", [
            # en
            r"once registered,? you can", r"registered users can (?:read|access|view|enjoy)", r"~once registered", r"~registered users (?:can|get|have|may)",
            r"~register (?:now |today )?(?:for free|for a free account|free)",
            r"register (?:now |today |for free )?to (?:continue|read|view|access|unlock|keep)", r"~register (?:now |today |for free )?to (?:see|get|comment)",
            r"register (?:or|/) (?:log ?in|sign in)", r"already registered\?", r"not (?:yet )?registered\?", r"~already registered", r"~free registration",
            r"~(?:register|registration) (?:is )?(?:required|needed)",
            # de
            r"(?:jetzt|kostenlos|gratis|bitte) (?:\w+ )?registrieren", r"registrieren sie sich", r"(?:nur )?(?:für|fuer) registrierte (?:nutzer|benutzer|leser|mitglieder|user)",
            r"~registrierung (?:ist )?(?:erforderlich|notwendig|kostenlos)", r"(?:anmelden|einloggen) (?:oder|/|und) (?:\w+ )?registrieren",
            # es, it, nl
            r"registrati (?:gratis|gratuitamente|per|ora|subito)", r"registreer (?:je|u|nu|gratis)",
            r"~(?:utenti|usuarios|utilizadores|usuários|gebruikers) registrad?[oit]",
        ]),
        ("strate", [r"reg[ií]strate (?:gratis|para|ahora|y)"]),
        ("please", [r"please (?:log ?in|sign in|register)\b"]),
        ("sign up", [r"sign up (?:now |today |for free )?to (?:continue|read|view|access|unlock|keep)", r"~sign up (?:now |today |for free )?to (?:see|get|comment)"]),
        ("log", [
            r"(?:log ?in|log-in) (?:or|and|/) (?:register|sign up|create)",
            r"(?:log in|login) (?:now |here )?to (?:continue|read|view|access|unlock|keep)", r"~(?:log in|login) (?:now |here )?to (?:see|comment|get|save)",
            r"(?:you must|you need to|you have to|please) (?:be )?(?:log in|logged in)(?: (?:to|in order to|before|first|here|now)\b|\W*$)",
            r"already have an account\?? ?log in",
            r"(?:log in|login) (?:or|/) (?:register|sign up|create|subscribe)",
        ]),
        ("logged in", [r"(?:only|available) (?:to|for) logged in"]),
        ("sign", [
            r"sign in (?:or|and|/) (?:register|sign up|create)", r"sign in (?:now |here )?to (?:continue|read|view|access|unlock|keep)", r"~sign in (?:now |here )?to (?:see|comment|get|save)",
            r"(?:you must|you need to|you have to|please) (?:be )?(?:sign in|signed in)(?: (?:to|in order to|before|first|here|now)\b|\W*$)",
            r"sign in (?:or|/) (?:register|sign up|create|subscribe)",
            r"already have an account\?? ?sign in",
        ]),
        ("account", [
            r"create (?:an? |your )?(?:free )?account (?:to|and) (?:continue|read|view|access|unlock|keep)",
            r"already have an account\?", r"(?:don't|do not) have an account\?",
            r"~crea (?:un|il tuo) account", r"~maak (?:een |gratis )*account aan",
            r"(?:hai già|non hai) un account", r"(?:heb je|heeft u|hebt u) (?:al|nog geen) (?:een )?account",
        ]),
        ("compte", [r"~créez (?:un|votre) compte"]),
        # de, fr, es, it, pt, nl
        ("melden sie sich", [r"(?:bitte )?melden sie sich (?:\w+ )?an,? um", r"melden sie sich (?:jetzt )?(?:kostenlos )?an"]),
        ("loggen sie sich", [r"loggen sie sich (?:\w+ )?ein"]),
        ("anmelden", [r"~(?:jetzt|bitte|kostenlos) anmelden (?:und|um|,)", r"anmelden,? um (?:\w+ ){0,3}(?:weiter|zu lesen|freizuschalten)",
                      r"~anmelden,? um (?:\w+ ){0,3}(?:zu kommentieren|zu sehen)"]),
        ("connect", [r"connectez-vous (?:pour|afin|ou)", r"~se connecter pour"]),
        ("vous", [r"(?:vous devez|veuillez) vous (?:connecter|identifier|inscrire|abonner)", r"vous (?:avez déjà|n'avez pas (?:encore )?de) compte"]),
        ("cuenta", [r"(?:ya|no) tienes (?:una )?cuenta", r"~crea (?:una|tu) cuenta"]), ("conta", [r"(?:já|não) tem (?:uma )?conta", r"~crie (?:uma|sua) conta"]),
        ("konto", [r"(?:sie haben|du hast) (?:bereits|schon|noch kein) (?:ein )?(?:\w+-?)?konto", r"~(?:kostenloses |ein )?konto erstellen"]),
        ("inscr", [r"inscrivez-vous (?:pour|gratuitement|afin)", r"déjà inscrit", r"inscr[ií]bete (?:gratis|para)", r"inscreva-se"]),
        ("identif", [r"identifiez-vous (?:pour|afin)", r"identif[ií]cate para"]),
        ("sesión", [r"inicia (?:la )?sesión (?:para|o)", r"(?:debes|necesitas) iniciar sesión", r"~inicia (?:la )?sesión"]),
        ("accedi", [r"accedi (?:per|o registrati)"]),
        ("cadastr", [r"cadastre-se", r"~faça (?:seu )?cadastro", r"~cadastro (?:gratuito|grátis)"]),
        ("login", [r"faça (?:o )?login (?:para|e|ou)", r"~(?:efetue|faz) (?:o )?login"]),
        ("log in om", [r"log in om"]),
    ],
    ADBLOCK: [
        ("block", [
            r"(?:disable|turn off|pause|deactivate|switch off|whitelist)\w* (?:your |the |any )?ad[- ]?block",
            r"(?:you(?:'re| are)|you seem to be|you appear to be|it (?:looks|appears|seems) (?:like|that) you(?:'re| are)) (?:currently )?(?:using|running|have) (?:an? )?ad[- ]?block",
            r"(?:we|we've|we have) (?:noticed|detected|see) (?:that )?you(?:'re| are)? (?:using|running|have|blocking)",
            r"you(?:'re| are) (?:currently )?blocking (?:our )?(?:ads|advertisements)", r"ad[- ]?block(?:er)? (?:detected|is (?:on|enabled|active))",
            r"continue using ad-?block", r"~ad[- ]?block(?:er|ing)?\b", r"~blocking (?:our )?(?:ads|advertisements)",
            r"(?:désactiv|desactiv|disattiv|desativ)\w* (?:votre |tu |su |il tuo |il |o seu |seu |o )?ad-?block",
            r"(?:vous utilisez|utilisez-vous|estás usando|está usando|usas|stai usando|você está usando|está a usar) (?:un |una |um |uma )?ad-?block",
        ]),
        ("bloq", [
            r"(?:désactiv|desactiv|desativ)\w* (?:votre |tu |su |o seu |seu |o )?(?:bloqueur|bloqueador)",
            r"(?:vous utilisez|utilisez-vous|estás usando|está usando|usas|você está usando|está a usar) (?:un |una |um |uma )?(?:bloqueur|bloqueador)",
            r"~bloqueur de (?:pub|publicité)", r"~bloqueador de (?:anuncios|publicidad|anúncios|publicidade)",
        ]),
        ("blocco", [r"(?:disattiv|stai usando)\w* (?:il tuo |il |un )?(?:sistema di )?blocco", r"~blocco (?:degli |della )?(?:annunci|pubblicità)"]),
        ("whitelist", [r"whitelist (?:us|our (?:site|website)|this (?:site|website)|[\w.-]+\.(?:com|net|org|co\.uk))"]),
        ("blocker", [
            r"(?:deaktivieren|deaktiviere|schalten|schalte) (?:sie |du )?(?:bitte )?(?:ihren |deinen |den )?(?:werbe|ad-?)blocker",
            r"(?:sie|du) (?:verwenden|verwendest|nutzen|nutzt|benutzen|benutzt) (?:einen |offenbar einen |wohl einen )?(?:werbe|ad-?)blocker", r"~(?:werbe|ad-?)blocker",
        ]),
        ("advertentie", [r"schakel (?:je|uw) advertentieblokker uit", r"~advertentieblokker"]),
        ("ads on", [r"~enable ads on", r"~allow ads on"]),
        ("support us by", [r"support us by (?:disabling|allowing|whitelisting|turning off)"]),
    ],
    CONSENT: [
        ("cookie", [
            # en
            r"(?:we|this (?:web)?site|our (?:web)?site|the (?:web)?site|[\w.-]+\.(?:com|net|org|co\.uk)) (?:and (?:our|selected) (?:\w+ )?partners )?(?:uses?|using|place|places|set|sets|store|stores) (?:\w+ ){0,3}cookies",
            r"(?:agree|consent|accept)\w* to (?:our|the) use of cookies", r"(?:by|if you) (?:continu\w+|using|browsing|click\w*|scroll\w*).{0,100}cookies",
            r"cookies.{0,100}(?:by|if you) (?:continu\w+|using|browsing|click\w*)",
            r"~(?:use|usage) of cookies", r"~(?:accept|allow|reject|decline|manage|refuse)\w* (?:all |the |our |optional |non-essential )?cookies",
            r"~cookies? (?:settings|preferences|policy|consent|notice|banner|statement|declaration)",
            r"~cookies (?:and|&) (?:similar|other) (?:tracking )?technologies",
            r"~(?:necessary|essential|functional|analytics?|performance|marketing|advertising|targeting|third[- ]party) cookies",
            r"cookies (?:are|is) (?:absolutely |strictly )?(?:essential|necessary|required) for (?:the|this|our) (?:web)?site",
            # de
            r"(?:wir|website|webseite|seite|internetseite|homepage) (?:\w+ ){0,2}(?:verwende|nutze|benutze|setze|speicher)\w* (?:\w+ ){0,3}cookies",
            r"cookies (?:\w+ ){0,4}(?:verwende|nutze|benutze|gesetzt)", r"cookies (?:\w+ ){0,2}(?:helfen|ermöglichen|erleichtern) (?:uns )?(?:bei )?der bereitstellung",
            r"(?:stimmen sie|stimmst du) der (?:verwendung|nutzung|speicherung) von cookies zu", r"~(?:verwendung|einsatz|nutzung) von cookies",
            r"~cookie-?(?:einstellungen|richtlinie|hinweis|banner|zustimmung)", r"~cookies (?:zulassen|ablehnen|akzeptieren)",
            # fr
            r"(?:nous|site|ce site|notre site) (?:\w+ )?utilis\w* (?:des |de |les )?(?:\w+ )?cookies", r"(?:vous )?acceptez (?:l'utilisation|le dépôt|l'usage) (?:des |de )?cookies",
            r"~utilisation (?:des |de )cookies", r"~(?:accepte|refuse|gére|gere|paramétre|paramètre)\w* (?:les |tous les |des )?cookies",
            r"~cookies? (?:et|ou) (?:autres )?traceurs", r"~dépôt de cookies",
            # es, pt
            r"(?:utilizamos|usamos|empleamos|este (?:sitio|site|portal|web)(?: web)? (?:utiliza|usa))\w* (?:\w+ ){0,2}cookies", r"(?:aceptas|aceptás|aceitas|aceita|acepta) (?:el|o) (?:uso|utilização) (?:de|das|dos) cookies",
            r"~(?:uso|utilização|utilizacion|utilización) (?:de|das|dos) cookies",
            r"~(?:aceptar|aceitar|rechazar|configurar|recusar)\w* (?:todas |todos )?(?:las |os |as )?cookies", r"~pol[ií]tica de cookies",
            # it
            r"(?:utilizziamo|usiamo|questo sito (?:web )?(?:utilizza|usa)) (?:i |dei |gli )?(?:\w+ )?cookie", r"acconsenti all'(?:uso|utilizzo) dei cookie",
            r"~(?:uso|utilizzo) dei cookie", r"~(?:accett|rifiut)\w* (?:tutti )?(?:i )?cookie", r"~informativa (?:sui|estesa sui) cookie",
            # nl
            r"(?:deze (?:web)?site|wij|we) (?:gebruikt|gebruiken|maakt gebruik van|maken gebruik van|plaatst|plaatsen) (?:\w+ ){0,2}cookies",
            r"akkoord met het gebruik van cookies", r"~gebruik van cookies", r"~cookies (?:accepteren|weigeren|toestaan)", r"~cookie-?(?:instellingen|beleid|verklaring)",
        ]),
        ("consent", [
            r"you (?:hereby )?consent to (?:our|the) (?:use|processing|collection)", r"~(?:manage|change|withdraw|revoke|give|update) (?:your |my |ad )?consent",
            r"~consent (?:preferences|settings|management|choices)",
        ]),
        ("privacy", [r"(?:we|we and our partners) (?:value|respect|care about) your privacy", r"~your privacy (?:choices|settings|options|preferences)",
                     r"~privacy (?:settings|preferences|options|choices|center|centre)$"]),
        ("partners", [r"(?:we|we and our (?:\d+ )?partners) (?:store|process|use) (?:and/or access )?(?:information|personal data|data) (?:on|from) (?:a|your) device"]),
        ("accept", [r"~^(?:accept|accept all|i accept|accept and (?:continue|close)|accept & close)$"]),
        ("datenschutz", [r"~datenschutz(?:einstellungen|-einstellungen| & cookies)", r"~(?:stimmen sie|zustimmen).{0,40}datenschutz", r"~datenschutz.{0,40}(?:zustimm|einverstanden|akzeptier)"]),
        ("einwillig", [r"~(?:ihre |deine )?einwilligung (?:widerrufen|erteilen|verwalten|geben)", r"~einwilligung (?:in|zur) (?:die )?(?:verarbeitung|nutzung|verwendung)"]),
        ("und ", [r"~(?:alle[ns]? )?(?:akzeptieren|zustimmen) und (?:weiter|fortfahren|schließen)"]), ("zustimm", [r"~verwendung zustimmen"]),
        ("einverstanden", [r"~(?:sind|erklären) sie sich (?:damit )?einverstanden"]),
        ("consentement", [r"~(?:votre |le )?consentement"]), ("consentimiento", [r"~consentimiento"]), ("consenso", [r"~(?:il tuo |il |del )?consenso (?:all|al|per|ai)"]),
        ("consentimento", [r"~consentimento"]), ("toestemming", [r"~toestemming (?:geven|intrekken|voor)"]),
        ("privacidad", [r"~(?:configuración|ajustes|preferencias) de privacidad"]), ("privacidade", [r"~(?:configurações|preferências|definições) de privacidade"]),
        ("confidentialité", [r"~paramètres de confidentialité"]),
        ("paramètres", [r"~(?:gérer|modifier|personnaliser) (?:ces|vos|les|mes) paramètres"]),
        ("vie privée", [r"(?:nous )?(?:respectons|protégeons) votre vie privée", r"~vie privée.{0,60}(?:accepte|consent|cookies|paramètres)"]),
    ],
    ERROR_PAGE: [
        ("found", [
            r"(?:page|url|webpage) (?:was |could )?not (?:be )?found", r"^(?:error )?404\b.{0,30}not found",
            r"~(?:article|story|content|file|document|post)s? (?:was |could )?not (?:be )?found", r"~not found\W{0,3}$",
        ]),
        ("404", [r"\b(?:error|erreur|fehler|errore|erro|fout)[ :-]*404\b", r"\b404[ :-]+(?:error|erreur|fehler|errore|erro|page|seite|pagina|página)\b", r"^\W*404\W*$",
                 r"^(?:oops|sorry|whoops)[\s\S]{0,40}404"]),
        ("no longer", [
            r"(?:this|the) (?:page|article|story|video|post|content) (?:you (?:are|were) looking for |you requested )?(?:is|was|has been) no longer (?:available|online|accessible|active)",
            r"~(?:page|article|story|content|video|post|item|listing|link)s? (?:is|are|was|has been) no longer (?:available|online|accessible|active)",
            r"~no longer (?:available|exists?|online)\W{0,3}$", r"(?:page|article|story) (?:you (?:are|were) looking for )?no longer exists",
        ]),
        ("looking for", [
            r"(?:page|article|story|content|post) you(?:'re| are| were) looking for (?:is|was|has|could|can|does|doesn't|cannot|can't|may|might|no longer|isn't)",
            r"(?:can't|cannot|could not|couldn't|can not) find (?:the |that |this )?(?:page|article|story|content) you(?:'re| are| were) looking for",
        ]),
        ("find", [r"(?:can't|cannot|could not|couldn't|can not|unable to) (?:seem to )?find (?:the |that |this )?(?:page|webpage)\b",
                  r"~(?:can't|cannot|could not|couldn't|can not) (?:seem to )?find (?:the |that |this )?(?:article|story)\b"]),
        ("exist", [r"(?:page|url|link|webpage) (?:you requested |you followed |you are looking for )?(?:does not|doesn't|did not|no longer) exists?",
                   r"~(?:article|story) (?:you requested )?(?:does not|doesn't|no longer) exists?", r"(?:page|article) (?:may|might) (?:have been|no longer) (?:removed|moved|deleted|exist)"]),
        ("been", [r"(?:this|the) (?:page|article|story) (?:has|have) been (?:removed|deleted|taken down|unpublished)",
                     r"~(?:page|article|story|content|video|post) (?:has|have|may have|might have) been (?:removed|deleted|moved|taken down|unpublished)"]),
        ("expired", [r"(?:this|the) (?:page|article|link|listing) has expired", r"~(?:story|content|offer) has expired"]),
        # de
        ("gefunden", [r"seite (?:\w+ ){0,3}(?:wurde |konnte )?(?:leider )?nicht gefunden", r"~(?:artikel|inhalt|beitrag|datei)\w* (?:\w+ ){0,3}(?:wurde |konnte )?(?:leider )?nicht gefunden",
                      r"~nicht gefunden\W{0,3}$"]),
        ("nicht mehr", [r"(?:diese|die|der|dieser) (?:seite|artikel|inhalt|beitrag|video) (?:ist |sind )?(?:leider )?nicht mehr (?:verfügbar|online|abrufbar|erreichbar|vorhanden)",
                        r"~(?:seite|artikel|inhalt|beitrag|video)\w* (?:\w+ ){0,3}(?:ist |sind )?(?:leider )?nicht mehr (?:verfügbar|online|abrufbar|erreichbar|vorhanden)",
                        r"~existiert (?:leider )?nicht mehr"]),
        ("existiert", [r"(?:seite|adresse) (?:\w+ ){0,3}existiert (?:leider )?nicht"]),
        # fr, es, it, pt, nl
        ("introuvable", [r"page (?:est )?introuvable", r"~(?:article|contenu)s? (?:est |sont )?introuvables?", r"~^introuvable"]),
        ("iste", [r"(?:page|página|pagina) (?:que vous (?:cherchez|demandez) |demandée |solicitada |richiesta |que (?:buscas|busca|procura) )?(?:n'|no |não |non )(?:existe|esiste)",
                    r"~(?:article|contenu|art[ií]culo|contenido|artigo|conteúdo|articolo|contenuto)s? (?:\w+ ){0,2}(?:n'|no |não |non )(?:existe|esiste)"]),
        ("n'est plus", [r"(?:cet article|cette page|ce contenu|cette vidéo) (?:\w+ ){0,2}n'est plus (?:disponible|accessible|en ligne)",
                        r"~(?:page|article|contenu|vidéo)s? (?:\w+ ){0,3}n'est plus (?:disponible|accessible|en ligne)"]),
        ("encontr", [r"(?:página|p[aá]gina) (?:\w+ ){0,3}(?:no|não) (?:\w+ ){0,2}(?:encontrad[oa]|(?:se )?(?:ha podido |pudo |puede )?encontrar|encontramos|foi encontrad[oa])",
                     r"~(?:art[ií]culo|contenido|artigo|conteúdo)s? (?:\w+ ){0,3}(?:no|não) (?:\w+ ){0,2}(?:encontrad[oa]|encontramos|foi encontrad[oa])",
                     r"(?:no|não) (?:hemos podido|pudimos|conseguimos|foi possível) encontrar (?:la|a|o|esta|essa) (?:página|p[aá]gina)"]),
        ("disponible", [r"(?:esta página|este art[ií]culo|el contenido que buscas) (?:\w+ ){0,2}ya no (?:está|se encuentra) disponible",
                        r"~(?:página|art[ií]culo|contenido) (?:\w+ ){0,3}ya no (?:está|se encuentra) disponible"]),
        ("disponível", [r"~(?:página|artigo|conteúdo) (?:\w+ ){0,3}(?:não está mais|já não está) disponível"]),
        ("trova", [r"pagina (?:\w+ ){0,3}non (?:è stat[oa] )?trovat[oa]", r"~(?:articolo|contenuto) (?:\w+ ){0,3}non (?:è stat[oa] )?trovat[oa]",
                    r"non (?:abbiamo|siamo riusciti a) trova\w* (?:la|questa) pagina"]),
        ("non è più", [r"~(?:pagina|articolo|contenuto) (?:\w+ ){0,3}non è più disponibile"]),
        ("gevonden", [r"pagina (?:\w+ ){0,3}(?:is |kon )?niet (?:worden )?gevonden", r"~artikel (?:\w+ ){0,3}(?:is |kon )?niet (?:worden )?gevonden"]),
        ("niet meer", [r"~(?:pagina|artikel) (?:\w+ ){0,3}(?:is |bestaat )?niet meer (?:beschikbaar|online)?"]),
        ("bestaat niet", [r"pagina (?:\w+ ){0,3}bestaat niet"]),
    ],
    JAVASCRIPT: [
        ("javascript", [
            r"please (?:enable|turn on|activate|allow|switch on) (?:the |your )?javascript", r"(?:enable|turn on|activate|allow) (?:the )?javascript (?:in|on) your (?:web )?browser",
            r"you (?:need|must|have|will need) to (?:enable|turn on|allow|activate) (?:the )?javascript", r"javascript (?:is |has been )?(?:disabled|turned off|not enabled) (?:in|on) your",
            r"(?:this|the|our) (?:site|website|page|app|application|content|video|player|game|service) (?:requires|needs) javascript",
            r"javascript (?:is |must be |needs to be )(?:required|enabled|turned on)", r"javascript is (?:disabled|turned off|not enabled)",
            r"javascript (?:is )?(?:required|disabled)\W{0,3}$", r"your browser (?:does not|doesn't) support javascript",
            r"~(?:enable|turn on|activate)\w* (?:the )?javascript", r"~(?:requires?|without|need|needs) javascript",
            r"javascript (?:\w+ ){0,4}(?:deaktiviert|aktivieren|benötigt|erforderlich|einschalten)", r"(?:aktivieren|aktiviere|aktiveren|benötigt) (?:sie |du )?(?:bitte )?(?:ihr |dein )?javascript",
            r"(?:activez|activer|autorisez|autoriser) (?:le |votre )?javascript", r"javascript (?:est )?(?:désactivé|requis|nécessaire|doit être activé)",
            r"(?:habilita|habilite|activa|ative|ativar|habilitar|activar) (?:el |o )?javascript", r"javascript (?:está |esteja )?(?:desactivado|deshabilitado|desativado|desabilitado)",
            r"(?:abilita|abilitare|attiva|attivare) (?:il )?javascript", r"javascript (?:è )?(?:disabilitato|disattivato)",
            r"javascript (?:is )?(?:uitgeschakeld|vereist|nodig)", r"(?:schakel|zet) javascript (?:in|aan)", r"javascript ?(?:が|を)(?:無効|有効)",
        ]),
        ("browser", [
            r"(?:your|this) (?:web )?browser (?:is |version is )?(?:not (?:supported|compatible)|no longer supported|out of date|outdated|too old)",
            r"(?:update|upgrade)\w* (?:to )?your (?:web )?browser", r"(?:switch|upgrade|update)\w* to a (?:newer|modern|supported|different|more recent) (?:web )?browser",
            r"~(?:unsupported|outdated) (?:web )?browser",
            r"(?:ihr|dein|ihren|deinen) browser (?:\w+ ){0,3}(?:aktualisier|veraltet|nicht unterstützt)", r"~browser (?:wird )?(?:nicht (?:mehr )?unterstützt|ist veraltet)",
            r"~browser (?:non supporté|obsolète|non (?:è )?supportato|obsoleto|non aggiornato)", r"(?:je|uw) browser (?:wordt )?niet (?:meer )?ondersteund", r"~verouderde browser",
        ]),
        ("navega", [
            r"(?:tu|su|seu) navegador (?:no (?:es )?(?:compatible|soportado)|não (?:é )?(?:compatível|suportado)|está desactualizado|está desatualizado)",
            r"actualiza (?:tu|su) navegador", r"atualize (?:o )?seu navegador",
        ]),
        ("navigateur", [r"(?:votre )?navigateur (?:n'est pas (?:supporté|compatible|à jour)|n'est plus (?:supporté|compatible)|est obsolète)",
                        r"(?:mettre|mettez) à jour votre navigateur", r"~navigateur (?:non supporté|obsolète)"]),
    ],
    AGE_GATE: [
        ("age", [
            r"(?:verify|confirm|enter) your age\b", r"confirm (?:that )?you are of (?:legal )?(?:drinking )?age", r"~\bage (?:verification|gate|check)",
            r"~(?:legal|minimum) (?:drinking |smoking |gambling )?age\b", r"~\bage[- ]restricted",
        ]),
        ("birth", [r"(?:verify|confirm|enter) your (?:date of birth|birth ?date|year of birth)"]),
        ("18", [
            r"(?:you must|you have to|you need to|are you|i am|i'm|confirm (?:that )?you are) (?:be )?(?:at least |over |older than |aged )?18\b",
            r"by (?:entering|clicking|continuing).{0,60}(?:you are|i am) (?:at least |over )?18", r"~\b18 (?:years|yrs)(?: of age| old)?(?: or|\+| and) (?:older|over|above)",
            r"~\b18\+ only", r"~(?:over|at least) (?:the age of )?18 (?:years|to (?:view|enter|access))",
            r"(?:sie|du) (?:müssen|musst) (?:mindestens |über )?18(?: jahre alt)? sein", r"(?:bestätigen sie|bestätige),? dass (?:sie|du|ich) (?:mindestens |über )?18",
            r"~mindestens 18(?: jahre)?", r"~(?:über|ab) 18 jahre", r"~18 jahre (?:oder älter|alt sein)",
            r"vous devez avoir (?:au moins |plus de )?18 ans", r"avez-vous (?:au moins |plus de )?18 ans", r"~au moins 18 ans",
            r"(?:tienes|tiene|tenés) (?:al menos |más de )?18 años", r"(?:eres|es) mayor de 18", r"~(?:mayor|mayores) de 18",
            r"(?:você )?(?:tem|possui) (?:pelo menos |mais de )?18 anos", r"(?:você )?é maior de 18", r"~(?:maior|maiores) de 18",
            r"hai (?:almeno |più di )?18 anni", r"~(?:almeno|più di) 18 anni",
            r"(?:ben je|bent u|je moet|u moet) (?:minimaal |ten minste |minstens )?18", r"~18 jaar (?:of ouder|en ouder)", r"~ouder dan 18",
        ]),
        ("21", [
            r"(?:you must|you have to|you need to|are you|i am|i'm|confirm (?:that )?you are) (?:be )?(?:at least |over |older than )?21\b",
            r"~\b21 (?:years|yrs)(?: of age| old)?(?: or|\+| and) (?:older|over|above)",
        ]),
        ("adult", [r"(?:this|the) (?:site|website|content|page|video) is (?:only )?(?:for|intended for|restricted to) adults", r"~adults only", r"~adult content"]),
        ("alter", [r"~alters(?:verifikation|prüfung|bestätigung|kontrolle|nachweis)", r"(?:ihr|dein) alter (?:bestätigen|eingeben|verifizieren)"]),
        ("volljährig", [r"(?:sind sie|bist du|ich bin|dass (?:ich|sie|du)) (?:\w+ )?volljährig", r"~volljährig"]),
        ("majeur", [r"(?:êtes-vous|vous devez être|je suis|je certifie être|confirmez être) majeure?s?"]),
        ("âge", [r"~(?:vérification|contrôle|confirmation) (?:de |d')(?:l')?âge", r"~âge légal", r"confirmez votre âge"]),
        ("edad", [r"(?:verifica|confirma) (?:tu|su) edad", r"(?:eres|es usted|debes ser|tienes que ser) mayor de edad", r"~(?:verificación|verificar|confirmar) (?:de |la )?edad",
                  r"~mayor(?:es)? de edad", r"~\bedad (?:mínima|legal)"]),
        ("idade", [r"(?:confirme|verifique) (?:a )?sua idade", r"(?:você é|é|deve ser|precisa ser) maior de idade", r"~(?:verificação|verificar|confirmar) (?:de |a )?idade",
                   r"~maior(?:es)? de idade", r"~\bidade (?:mínima|legal)"]),
        ("maggiorenn", [r"(?:sei|devi essere|sono|dichiaro di essere) maggiorenn[ei]", r"~maggiorenn[ei]"]),
        ("età", [r"~(?:verifica|conferma|verificare|confermare) (?:dell'|la (?:tua )?|l')?età"]),
        ("leeftijd", [r"(?:bevestig|controleer) (?:je|uw) leeftijd", r"~leeftijd(?:scontrole|sverificatie)"]),
    ],
}



class _Pattern:
    """A regular expression compiled on its first search: a rule is searched only where its trigger word
    occurs, and compiling all of them took 50 ms of every worker's start (most never occur in a page)."""

    __slots__ = ("source", "compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self.compiled: re.Pattern[str] | None = None

    def search(self, text: str) -> re.Match[str] | None:
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return self.compiled.search(text)


def _compile(patterns: list[str], weak: bool) -> _Pattern | None:
    chosen = [p.lstrip("~") for p in patterns if weak or not p.startswith("~")]
    return _Pattern("|".join(f"(?:{p})" for p in chosen)) if chosen else None


# (reason, trigger, pattern for any notice line, pattern for short lines), in REASONS order.
_RULES: tuple[tuple[str, str, _Pattern | None, _Pattern | None], ...] = tuple(
    (reason, trigger, _compile(patterns, False), _compile(patterns, True))
    for reason in REASONS
    for trigger, patterns in _GROUPS[reason]
)

_BUTTON = re.compile(
    r"(?:subscribe|subscribe now|subscribe today|sign in|sign up|log ?in|log out|register|register now|create (?:an )?account|"
    r"my account|accept|accept all|accept cookies|i accept|i agree|agree|ok|okay|got it|close|dismiss|continue|reject|reject all|"
    r"decline|more (?:info|information|options)|learn more|manage (?:options|settings|preferences)|settings|options|no,? thanks?|"
    r"abonnieren|jetzt abonnieren|anmelden|einloggen|registrieren|akzeptieren|alle akzeptieren|zustimmen|ablehnen|schließen|"
    r"einstellungen|mehr (?:erfahren|infos?)|verstanden|s'abonner|je m'abonne|abonnez-vous|se connecter|connexion|s'inscrire|"
    r"accepter|tout accepter|refuser|fermer|j'accepte|en savoir plus|suscr[ií]bete|suscribirse|iniciar sesión|aceptar|rechazar|"
    r"cerrar|más información|abbonati|accedi|registrati|accetta|accetto|rifiuta|chiudi|assine|assinar|entrar|aceitar|fechar|"
    r"saiba mais|abonneren|inloggen|registreren|accepteren|akkoord|sluiten|meer informatie|ik snap het|"
    r"(?:go|back|return) to (?:the )?(?:home ?page|home|front page)|zur startseite|retour à l'accueil|volver (?:al inicio|a la portada)|"
    r"torna alla (?:home|homepage)|voltar (?:à|para a) página inicial|terug naar (?:de )?(?:home|homepage)|[×x✕✖]|yes|no|ja|nein|oui|non|sí|si|sim|nee)"
    r"[\s!.?»›>→|/·•]*"
)
_BUTTONS = re.compile(f"(?:{_BUTTON.pattern})+")
_CJK = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
_OTHER, _WALL, _BUTTON_LINE, _BLANK = 0, 1, 2, 3


def wall_reason(line: str) -> str | None:
    """The kind of wall one line (one paragraph) is, or None for a line that is not a notice.

    A line is a notice when it matches a phrase pattern and has at most
    MAX_WALL_LINE_WORDS words: longer lines are article paragraphs that
    mention subscribing, cookies or JavaScript.
    """
    size = _measure(line)[1]
    if size > MAX_WALL_LINE_WORDS:
        return None
    return _match(_lower(line), size, _RULES)


def _lower(text: str) -> str:
    low = text.lower()
    return low.replace("\u2019", "'") if "\u2019" in low else low


def _measure(line: str) -> tuple[int, int]:
    """A line's words as ``Article.word_count`` counts them (near enough: each character of a script
    without spaces is a word), and its size for the length limits (such a word counted as two characters:
    a 40-character Japanese notice is not "40 words" long)."""
    if line.isascii():
        n = len(line.split())
        return n, n
    cjk = len(_CJK.findall(line))
    if not cjk:
        n = len(line.split())
        return n, n
    other = len(_CJK.sub(" ", line).split())
    return other + cjk, other + cjk // 2


def _match(low: str, size: int, rules) -> str | None:
    """The reason of the first rule a lower-cased line matches; weak patterns only on lines of MAX_WEAK_LINE_WORDS words."""
    short = size <= MAX_WEAK_LINE_WORDS
    for reason, trigger, strong, weak in rules:
        if trigger in low:
            pattern = weak if short else strong
            if pattern is not None and pattern.search(low):
                return reason
    return None


class _Lines:
    """The lines of a text, measured and classified lazily: most texts need only a few of them read."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        n = len(self.lines)
        self.words: list[int | None] = [None] * n
        self.sizes: list[int | None] = [None] * n
        self.lows: list[str | None] = [None] * n
        self.kinds: list[int | None] = [None] * n
        self.reasons: list[str | None] = [None] * n
        self.rules = _RULES
        self.candidates: set[int] | None = None  # the lines holding a trigger, once the whole text was read

    def __len__(self) -> int:
        return len(self.lines)

    def size(self, i: int) -> int:
        if self.sizes[i] is None:
            self.words[i], self.sizes[i] = _measure(self.lines[i])
        return self.sizes[i]

    def word_count(self, i: int) -> int:
        if self.words[i] is None:
            self.words[i], self.sizes[i] = _measure(self.lines[i])
        return self.words[i]

    def kind(self, i: int) -> int:
        kind = self.kinds[i]
        if kind is None:
            kind = self.kinds[i] = self._kind(i)
        return kind

    def _kind(self, i: int) -> int:
        line = self.lines[i]
        if not line.strip():
            return _BLANK
        size = self.size(i)
        if size > MAX_WALL_LINE_WORDS:
            return _OTHER
        low = self.lows[i]
        if low is None:
            low = _lower(line)
        if size <= MAX_BUTTON_WORDS and _BUTTONS.fullmatch(low.strip()):
            return _BUTTON_LINE
        if self.candidates is None or i in self.candidates:
            self.reasons[i] = _match(low, size, self.rules)
        return _OTHER if self.reasons[i] is None else _WALL

    def read_whole(self, text: str) -> None:
        """Measure every line, and keep only the rules whose trigger the text holds, and the lines that hold one."""
        low = _lower(text)
        self.rules = tuple(rule for rule in _RULES if rule[1] in low)
        self.lows = low.split("\n")
        starts = []
        offset = 0
        for line in self.lows:
            starts.append(offset)
            offset += len(line) + 1
        found: set[int] = set()
        for trigger in {rule[1] for rule in self.rules}:
            at = low.find(trigger)
            while at >= 0:
                i = bisect_right(starts, at) - 1
                found.add(i)
                at = low.find(trigger, starts[i] + len(self.lows[i]) + 1) if i + 1 < len(starts) else -1
        self.candidates = found
        for i in range(len(self.lines)):
            self.size(i)


def judge_text(text: str, title: str | None = None) -> WallVerdict:
    """Whether an extracted text is a wall or a notice rather than a story, and the text without its edge walls.

    The text is a wall (``reason`` set) when what is left without its wall
    runs is no article and either the runs are what made it look like one or
    they hold WALL_SHARE of its words; or when the title is itself a notice
    ("Page not found", "Subscribe to read") and the rest has no paragraph.
    Otherwise it is an article, and the wall runs at its start (after a first
    line that repeats the title) and at its end are dropped; wall lines inside
    the article stay, since cutting there could cut the story.

    Cost: most texts prove early that what is left of them is an article (one
    long line that is no notice, or enough words in lines no wall run can
    take), and then only the lines at their edges are read. Only the others
    are read whole, and then the regexes run only on lines that hold a
    trigger found in the text.
    """
    lines = _Lines(text)
    # A title is short, so only the strong patterns speak for it ("Ad blocking: what you need to
    # know" is a headline); a page titled "Cookie policy" is about cookies, not a banner.
    title_reason = None
    if title and len(title.split()) <= MAX_WALL_LINE_WORDS:
        title_reason = _match(_lower(title), MAX_WEAK_LINE_WORDS + 1, _RULES)
        if title_reason == CONSENT:
            title_reason = None
    reason = None
    # a first line that repeats the headline is the headline, not a paragraph of the story
    headline = 1 if len(lines) > 1 and _same_as_title(lines.lines[0], title) else 0
    if not _holds_an_article(lines, title_reason is not None, headline):
        reason = _whole_text_reason(lines, text, title_reason, headline)
    kept, dropped = _drop_edges(lines, title)
    return WallVerdict(kept, reason, dropped)


def _holds_an_article(lines: _Lines, notice_title: bool, headline: int = 0) -> bool:
    """Whether the lines no wall run can take are certainly an article by themselves.

    One long line that is no notice (longer than a gap line) is enough. Short
    lines count when neither neighbour is a wall or a button (no run can take
    a line so placed), read in order until they make an article; with a title
    that is a notice they must hold a paragraph.
    """
    long_enough = 2 * MAX_GAP_WORDS  # characters: fewer cannot make more than MAX_GAP_WORDS words
    maybe = []
    for i, line in enumerate(lines.lines):
        if i < headline:
            continue
        if len(line) > long_enough and line.count(" ") >= MAX_GAP_WORDS:
            if lines.size(i) > MAX_WALL_LINE_WORDS and lines.word_count(i) >= MIN_ARTICLE_WORDS:
                return True
            maybe.append(i)
    if any(lines.size(i) > MAX_GAP_WORDS and lines.word_count(i) >= MIN_ARTICLE_WORDS and lines.kind(i) == _OTHER for i in maybe):
        return True
    n = len(lines)
    left = 0
    paragraph = False
    for i in range(headline, n):
        if lines.kind(i) != _OTHER or (i and lines.kind(i - 1) != _OTHER) or (i + 1 < n and lines.kind(i + 1) != _OTHER):
            continue
        left += lines.word_count(i)
        paragraph = paragraph or lines.word_count(i) >= MIN_PARAGRAPH_WORDS
        if left >= MIN_ARTICLE_WORDS and (paragraph or (left >= LIST_ARTICLE_WORDS and not notice_title)):
            return True
    return False


def _whole_text_reason(lines: _Lines, text: str, title_reason: str | None, headline: int = 0) -> str | None:
    lines.read_whole(text)
    if title_reason is None and not any(lines.kind(i) == _WALL for i in lines.candidates):
        return None
    n = len(lines)
    words = lines.words
    total = sum(words)
    wall = {i for run in _runs(range(n), lines, first_only=False) for i in run}
    rest = [i for i in range(n) if i not in wall]
    wall_words = total - sum(words[i] for i in rest)
    rest = [i for i in rest if i >= headline]
    if wall_words and not _is_article(rest, words):
        if wall_words >= WALL_SHARE * total or _is_article(range(n), words):
            return _main_reason(wall, lines.reasons, words)
    if title_reason is not None and not any(words[i] >= MIN_PARAGRAPH_WORDS for i in rest):
        return _main_reason(wall, lines.reasons, words) or title_reason
    return None


def _runs(order, lines: _Lines, first_only: bool) -> list[list[int]]:
    """Wall runs met reading the lines in ``order``: wall lines with the buttons and blank lines beside them.

    A run may also hold single lines of at most MAX_GAP_WORDS words between
    two wall lines (a notice's sentence that names no keyword: "We rely on
    advertising to help fund our award-winning journalism."). It ends at its
    last wall line in reading order. With ``first_only`` reading stops at the
    first line that cannot be in a run: that is how the start and the end of
    a text are read, and nothing else. Otherwise a line of at most
    MAX_HEADING_WORDS words just before a run is the notice's heading
    ("Warum sehe ich FAZ.NET nicht?") and goes with it.
    """
    runs: list[list[int]] = []
    current: list[int] = []
    last_wall = 0  # length of ``current`` up to and with its last wall line
    gap = False
    for i in order:
        k = lines.kind(i)
        if k == _WALL:
            current.append(i)
            last_wall, gap = len(current), False
            continue
        if k != _OTHER:
            current.append(i)
            continue
        if last_wall and not gap and lines.size(i) <= MAX_GAP_WORDS:
            current.append(i)
            gap = True
            continue
        if last_wall:
            runs.append(current[:last_wall])
        if first_only:
            return runs
        current, last_wall, gap = ([i] if lines.size(i) <= MAX_HEADING_WORDS else []), 0, False
    if last_wall:
        runs.append(current[:last_wall])
    return runs


def _is_article(rest, words: list[int]) -> bool:
    """``Article.has_article``'s rule on the lines that are not wall lines."""
    left = sum(words[i] for i in rest)
    if left < MIN_ARTICLE_WORDS:
        return False
    return left >= LIST_ARTICLE_WORDS or any(words[i] >= MIN_PARAGRAPH_WORDS for i in rest)


def _main_reason(wall: set[int], reasons: list[str | None], words: list[int]) -> str | None:
    """The reason holding the most wall words (the earlier in REASONS on a tie)."""
    weight: dict[str, int] = {}
    for i in wall:
        reason = reasons[i]
        if reason is not None:
            weight[reason] = weight.get(reason, 0) + max(words[i], 1)
    if not weight:
        return None
    return max(REASONS, key=lambda r: (weight.get(r, 0), -REASONS.index(r)))


def _same_as_title(line: str, title: str | None) -> bool:
    if not title:
        return False
    a, b = " ".join(line.lower().split()), " ".join(title.lower().split())
    return bool(a) and (a == b or (len(a) >= 12 and (b.startswith(a) or a.startswith(b))))


def _drop_edges(lines: _Lines, title: str | None) -> tuple[str, int]:
    """The text without the wall runs at its start and end, and how many non-blank lines went.

    The start run may follow a first line that repeats the title (the
    headline trafilatura often keeps), which stays.
    """
    n = len(lines)
    text = lines.lines
    start = 1 if n > 1 and _same_as_title(text[0], title) and lines.kind(0) == _OTHER else 0
    head = _runs(range(start, n), lines, first_only=True)
    head_end = head[0][-1] + 1 if head and head[0][0] == start else start
    drop = set(range(start, head_end))
    tail = _runs(range(n - 1, head_end - 1, -1), lines, first_only=True)
    if tail and tail[0][0] == n - 1:
        drop.update(tail[0])
    if not drop:
        return "\n".join(text), 0
    left = [i for i in range(start, n) if i not in drop]
    if all(lines.kind(i) in (_BUTTON_LINE, _BLANK) for i in left):
        drop.update(left)  # the buttons of a text that was all notice ("We use cookies." / "OK")
    kept = [line for i, line in enumerate(text) if i not in drop]
    return "\n".join(kept), sum(1 for i in drop if text[i].strip())
