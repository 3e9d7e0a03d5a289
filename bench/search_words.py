"""Words for the search benchmark corpus: real Dutch words at chosen Zipf ranks, the rest made up.

The vocabulary is ordered by frequency rank. Dutch function words come first, real
content words are placed at ranks that give them the document frequency their query kind
needs (common: in a quarter to two thirds of the documents; medium: 1-5 %; rare: tens to
hundreds of documents in 100,000), and generated Dutch-sounding words fill every other
rank, as OCR'd letters are full of names, codes and misread words.
"""

from __future__ import annotations

import random


def _words(text: str) -> list[str]:
    return text.split()


# Roughly in order of frequency in Dutch business letters.
FUNCTION_WORDS = _words(
    "de en van het een in is dat op te voor met die niet zijn aan er om ook als bij of "
    "door maar naar dan nog u uw wordt worden we wij kan heeft hebben uit tot over dit deze "
    "was zal al wel zo meer geen na wat onder tegen omdat hun zij ze hij ik je mijn ons onze "
    "wil moet kunnen hier daar nu toch reeds zonder iets niets alles andere altijd eens toen "
    "want hoe wie zich zelf veel"
)

COMMON_WORDS = _words(
    "klant offerte contract factuur levering installatie onderhoud monteur afspraak storing "
    "ketel warmtepomp zonnepanelen bedrag datum prijs graag betaling termijn service product "
    "woning adres vragen contact informatie euro inclusief btw kosten werkzaamheden materiaal "
    "garantie jaar maand week dag nummer telefoon brief bijlage akkoord handtekening "
    "voorwaarden opdracht bevestiging aanvraag verzoek melding oplossing probleem reparatie "
    "vervanging controle systeem energie water verwarming stroom dak meter uur nieuwe goed "
    "eerste laatste volgende snel mogelijk direct vriendelijke groet geachte heer mevrouw "
    "betreft hierbij ontvangen sturen bellen helpen"
)

MEDIUM_WORDS = _words(
    "thermostaat radiator vloerverwarming isolatie spouwmuur omvormer laadpaal thuisbatterij "
    "airco ventilatie filter lekkage condens druk expansievat boiler douche kraan leiding "
    "zekering groepenkast aardlek meterkast schoorsteen rookmelder koolmonoxide subsidie "
    "lening aanbetaling termijnbedrag incasso herinnering aanmaning creditnota korting "
    "tegoedbon klachtenformulier ontvangstbevestiging offerteaanvraag oplevering planning "
    "inspectie keuring certificaat rapport tekening dakgoot dakpannen zolder kelder badkamer "
    "keuken slaapkamer woonkamer garage schuur tuin gevel kozijn glas deur trap vloer plafond "
    "wand stopcontact schakelaar verlichting bekabeling rendement opbrengst verbruik "
    "besparing tarief abonnement verlenging opzegging beëindiging overname verhuizing "
    "eigenaar huurder verhuurder aannemer leverancier onderaannemer garantietermijn "
    "garantiebewijs serienummer typenummer foutcode logboek onderhoudsbeurt jaarcontract "
    "servicebezoek spoedmelding storingsdienst wachttijd reactietijd klanttevredenheid "
    "beoordeling contracten klachten facturen offertes klacht monteurs afspraken storingen "
    "ketels warmtepompen leveringen installaties café financiële geïnstalleerd ideeën "
    "pakket onderdeel onderdelen vergoeding schade expertise verzekering polis notaris "
    "hypotheek bank rekening rekeningnummer machtiging incassant openstaand saldo achterstand"
)

RARE_WORDS = _words(
    "kozijnreparatie legionellapreventie drukverschilregelaar vlamdetectie "
    "ontluchtingsventiel terugslagklep inregelrapport warmtewisselaar condensafvoer "
    "rookgasafvoer expansieleiding vorstbeveiliging dakdoorvoer nokvorst loodslab "
    "hemelwaterafvoer kruipruimte vochtmeting schimmelvorming dampscherm kierdichting "
    "tochtstrip ventilatierooster balansventilatie zonneboiler warmtepompboiler buffervat "
    "bodemlus bronboring omvormerbehuizing stringomvormer schaduwanalyse netbeheerder "
    "terugleververgoeding salderingsregeling energielabel maatwerkadvies thermografie "
    "aardingsmeting isolatieweerstand vloerisolatie bodemisolatie dakisolatie glasisolatie "
    "hoogrendementsglas zonwering rolluik screens dakkapel dakraam lichtstraat "
    "regenwaterput infiltratiekrat drukvat hydrofoor waterslot sifon afvoerput "
    "ontstoppingsdienst rioolinspectie camera-inspectie boilervat anode kalkaanslag "
    "ontkalking waterontharder harsfilter zoutverbruik thermostaatkraan "
    "radiatorventilator inregeling waterzijdig circulatiepomp driewegklep vulkraan "
    "manometer overstortventiel aanvoertemperatuur retourtemperatuur stooklijn "
    "buitenvoeler modulatie pendelgedrag brandercontrole ionisatiestroom "
    "ontstekingselektrode branderkamer warmtepompinstallatie buitenunit binnenunit "
    "koudemiddel lekdichtheid f-gassencertificaat vacuumpomp stikstoftest "
    "laadstroom fasebalans dynamischlaadbeheer aardlekautomaat installatieautomaat "
    "piekvermogen kilowattpiek paneelreiniging duivenwering vogelwering montagerails"
)

# Two- and three-word phrases that letters about installations use; put into the text
# whole, so that phrase queries match where they occur, and queried in that form.
PHRASES = (
    "met vriendelijke groet", "levering en installatie", "jaarlijkse onderhoudsbeurt",
    "geen warm water", "algemene voorwaarden", "kosteloos vervangen", "nieuwe afspraak",
    "hybride warmtepomp", "slimme thermostaat", "te lage druk", "storing aan de ketel",
    "offerte is geldig", "zonnepanelen op het dak", "terugbetaling van het bedrag",
    "termijn van dertig dagen", "vraag over de factuur", "schade bij installatie",
    "monteur niet verschenen", "opbrengst valt tegen", "herhaalde storing",
    "lekkage bij de boiler", "vervanging van de ketel", "onderhoud van de warmtepomp",
    "aanvraag subsidie isolatie", "keuring van de installatie", "garantie op onderdelen",
    "reactietijd van vier uur", "bevestiging van de afspraak", "wijziging van het adres",
    "omvormer geeft foutcode",
)

# Query prefixes (word*): stems of real words, expanding to several vocabulary words.
PREFIXES = (
    "warmte", "zonne", "onderhoud", "isolatie", "garantie", "ventil", "lekka", "kozijn",
    "thermo", "storing", "factu", "offert", "aanbet", "rook", "dakp", "ontlucht", "omvorm",
    "radiat", "verwarm", "install",
)

ONSETS = ("b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
          "z", "br", "dr", "gr", "kr", "pr", "tr", "st", "sl", "sp", "schr", "str", "bl", "kl",
          "pl", "vl", "zw", "sch", "")
VOWELS = ("a", "e", "i", "o", "u", "aa", "ee", "oo", "uu", "ie", "oe", "ou", "ei", "ij", "ui",
          "eu")
CODAS = ("", "", "", "", "n", "r", "l", "k", "t", "s", "nd", "rt", "ng", "ld", "cht", "st", "m",
         "p")


def _made_up_word(rng: random.Random) -> str:
    syllables = rng.choices((1, 2, 3), (3, 6, 2))[0]
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(syllables))


def vocabulary(size: int, seed: int) -> list[str]:
    """`size` distinct words ordered by frequency rank; the real words at fixed ranks."""
    rng = random.Random(seed)
    placed: dict[int, str] = {}
    for rank, word in enumerate(FUNCTION_WORDS):
        placed[rank if rank < 20 else 20 + (rank - 20) * 3] = word
    _spread(placed, COMMON_WORDS, 21, 400, rng)
    _spread(placed, MEDIUM_WORDS, 400, 4000, rng)
    _spread(placed, RARE_WORDS, 8000, min(size, 50_000), rng)
    taken = set(placed.values()) | {w for phrase in PHRASES for w in phrase.split()}
    words: list[str] = []
    for rank in range(size):
        if rank in placed:
            words.append(placed[rank])
            continue
        word = _made_up_word(rng)
        while word in taken or len(word) < 3:
            word = _made_up_word(rng)
        taken.add(word)
        words.append(word)
    return words


def _spread(placed: dict[int, str], words: list[str], low: int, high: int,
            rng: random.Random) -> None:
    """Put `words` at free ranks spread evenly (with jitter) over [low, high)."""
    step = (high - low) / len(words)
    for index, word in enumerate(words):
        rank = int(low + index * step + rng.random() * step)
        while rank in placed:
            rank += 1
        placed[rank] = word
