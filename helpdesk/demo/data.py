"""The demo's words: the cast, stores, products, names and what customers and staff say.

Kept apart from the code that loads it, so the story lines can be read (and changed)
as plain text. Texts have a Dutch and an English version; a customer's language picks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SEED = 20261122  # the demo is the same every time it is loaded
DEFAULT_SIZE = 60
HISTORY_DAYS = 75  # how far back the demo's history reaches

SERVICE_TEAM = "Klantenservice"
SOCIAL_TEAM = "Social media"
SERVICE_CHANNELS = ["email", "chat", "whatsapp", "sms", "phone", "instore", "api"]
SOCIAL_CHANNELS = ["messenger", "instagram"]


@dataclass(frozen=True)
class StoreInfo:
    code: str
    name: str
    city: str
    address: str
    phone: str


STORES = (
    StoreInfo("AMS1", "Amsterdam Kalverstraat", "Amsterdam", "Kalverstraat 112, 1012 PK Amsterdam",
              "+31205551234"),
    StoreInfo("UTR1", "Utrecht Hoog Catharijne", "Utrecht", "Godebaldkwartier 14, 3511 DX Utrecht",
              "+31305552345"),
    StoreInfo("RTM1", "Rotterdam Lijnbaan", "Rotterdam", "Lijnbaan 63, 3012 EL Rotterdam",
              "+31105553456"),
)


@dataclass(frozen=True)
class StaffInfo:
    username: str
    name: str
    role: str
    password: str = ""  # empty: the account cannot log in (set one in the admin)
    teams: tuple[str, ...] = ()
    stores: tuple[str, ...] = ()  # store codes


STAFF = (
    StaffInfo("sanne", "Sanne de Vries", "agent", "demo", (SERVICE_TEAM,)),
    StaffInfo("pieter", "Pieter Bakker", "agent", "demo", (SERVICE_TEAM, SOCIAL_TEAM)),
    StaffInfo("emma", "Emma Visser", "agent", "demo", (SOCIAL_TEAM, SERVICE_TEAM)),
    StaffInfo("daan", "Daan Jansen", "store_staff", "demo", (), ("AMS1",)),
    StaffInfo("fatima", "Fatima El Amrani", "manager", "demo", (SERVICE_TEAM, SOCIAL_TEAM)),
)
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin"


@dataclass(frozen=True)
class Product:
    sku: str
    nl: str
    en: str
    price: Decimal
    sizes: tuple[str, ...]


PRODUCTS = (
    Product("JKT-RAIN", "Regenjas", "Rain jacket", Decimal("89.95"), ("S", "M", "L", "XL")),
    Product("JKT-WINT", "Winterjas", "Winter coat", Decimal("149.00"), ("S", "M", "L", "XL")),
    Product("SWT-WOOL", "Wollen trui", "Wool sweater", Decimal("69.95"), ("S", "M", "L", "XL")),
    Product("JNS-SLIM", "Spijkerbroek slim fit", "Slim fit jeans", Decimal("59.95"),
            ("28/32", "30/32", "32/32", "34/34")),
    Product("DRS-SUMR", "Zomerjurk", "Summer dress", Decimal("49.95"), ("34", "36", "38", "40", "42")),
    Product("SHR-COTT", "Katoenen overhemd", "Cotton shirt", Decimal("39.95"), ("S", "M", "L", "XL")),
    Product("SNK-WHTE", "Witte sneakers", "White sneakers", Decimal("79.95"), ("38", "40", "42", "44")),
    Product("SCF-KNIT", "Gebreide sjaal", "Knitted scarf", Decimal("24.95"), ("one size",)),
    Product("BLT-LTHR", "Leren riem", "Leather belt", Decimal("34.95"), ("85", "90", "95", "100")),
    Product("TSH-BASC", "Basic T-shirt", "Basic T-shirt", Decimal("14.95"), ("S", "M", "L", "XL")),
)

CARRIERS = ("PostNL", "DHL", "DPD")
EMAIL_DOMAINS_NL = ("example.nl", "voorbeeld.example", "mail.example.nl")
EMAIL_DOMAINS_EN = ("example.com", "example.org", "mail.example.com")

FIRST_NAMES_NL = (
    "Anna", "Daan", "Sophie", "Lucas", "Julia", "Sem", "Lotte", "Noah", "Fleur", "Finn", "Eva",
    "Jesse", "Noor", "Thijs", "Lisa", "Bram", "Iris", "Ruben", "Sara", "Milan", "Femke", "Luuk",
    "Anouk", "Joris", "Maud", "Stijn", "Yara", "Mohamed", "Fenna", "Timo",
)
LAST_NAMES_NL = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "Kok", "Jacobs", "el Idrissi", "Yilmaz", "van Vliet",
)
FIRST_NAMES_EN = (
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Grace",
    "Thomas", "Emily", "James", "Chloe", "William", "Ella", "Daniel", "Hannah", "Priya", "Liam",
)
LAST_NAMES_EN = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans",
    "Walker", "Wright", "Thompson", "Patel", "Hughes", "Green", "Clarke", "Murphy", "O'Brien",
)

RETURN_REASONS = {"nl": ("te klein", "te groot", "niet de kleur die ik verwachtte"),
                  "en": ("too small", "too big", "not the colour I expected")}

# Every text a demo customer or staff member writes. Placeholders are filled per story:
# {first} customer's first name, {agent} the writing staff member's first name,
# {number} order number, {product} product name, {carrier}, {tracking}, {store}, {total}.
# What staff write for each other (notes, handovers, logged calls and counter visits) is
# Dutch only: the team is Dutch, whatever language the customer speaks.
TEXTS: dict[str, dict[str, str]] = {
    "order_where.subject": {"nl": "Waar blijft bestelling {number}?", "en": "Where is order {number}?"},
    "order_where": {
        "nl": "Hallo, ik heb bestelling {number} een paar dagen geleden geplaatst maar nog niets "
              "ontvangen. Kunnen jullie kijken waar mijn pakket blijft? Groet, {first}",
        "en": "Hi, I placed order {number} a few days ago and haven't received anything yet. "
              "Could you check where my parcel is? Thanks, {first}",
    },
    "order_where_reply": {
        "nl": "Hoi {first}, je pakket is onderweg met {carrier} (track & trace {tracking}) en wordt "
              "naar verwachting morgen bezorgd. Groet, {agent}",
        "en": "Hi {first}, your parcel is on its way with {carrier} (tracking {tracking}) and should "
              "arrive tomorrow. Kind regards, {agent}",
    },
    "order_where_thanks": {"nl": "Het pakket is binnen, dank jullie wel!",
                           "en": "The parcel arrived, thank you!"},
    "reopen_still": {
        "nl": "Sorry, maar het pakket is er nog steeds niet, terwijl de track & trace zegt dat het "
              "bezorgd is. Bij de buren ligt het ook niet.",
        "en": "Sorry, but the parcel still isn't here, although the tracking says it was delivered. "
              "The neighbours don't have it either.",
    },
    "reopen_reply": {
        "nl": "Vervelend, {first}! We hebben een onderzoek gestart bij {carrier}. Is het er over twee "
              "dagen niet, dan sturen we bestelling {number} opnieuw. Groet, {agent}",
        "en": "Sorry about that, {first}! We've opened an investigation with {carrier}. If it hasn't "
              "turned up in two days we'll send order {number} again. Kind regards, {agent}",
    },
    "return_ask.subject": {"nl": "Retour bestelling {number}", "en": "Returning order {number}"},
    "return_ask": {
        "nl": "Hoi! De {product} uit bestelling {number} is {reason}. Kan ik die nog retourneren?",
        "en": "Hi! The {product} from order {number} is {reason}. Can I still return it?",
    },
    "return_label": {
        "nl": "Zeker, {first}! Je kunt tot 30 dagen na ontvangst retourneren. Het retourlabel staat "
              "in je mail; lever het pakket in bij een {carrier}-punt. Groet, {agent}",
        "en": "Of course, {first}! You can return within 30 days. The return label is in your inbox; "
              "drop the parcel off at any {carrier} point. Kind regards, {agent}",
    },
    "return_sent": {"nl": "Het pakket is vanochtend ingeleverd.",
                    "en": "I dropped the parcel off this morning."},
    "return_received_note": {
        "nl": "Retour binnen in het magazijn, terugbetaling van € {total} gestart.",
    },
    "return_refund": {
        "nl": "We hebben je retour ontvangen; de € {total} staat binnen 3 werkdagen op je rekening.",
        "en": "We've received your return; the € {total} will be in your account within 3 working days.",
    },
    "damaged.subject": {"nl": "Beschadigd pakket, bestelling {number}",
                        "en": "Damaged item in order {number}"},
    "damaged": {
        "nl": "Goedemiddag, bestelling {number} is vandaag bezorgd maar de {product} heeft een scheur "
              "in de naad. Wat kan ik het beste doen?",
        "en": "Good afternoon, order {number} arrived today but the {product} has a tear in the seam. "
              "What should I do?",
    },
    "damaged_photo": {
        "nl": "Wat vervelend, {first}! Kun je een foto van de scheur sturen? Via WhatsApp mag ook. "
              "Groet, {agent}",
        "en": "So sorry, {first}! Could you send a photo of the tear? WhatsApp is fine too. "
              "Kind regards, {agent}",
    },
    "damaged_photo_sent": {
        "nl": "Hierbij de foto van de scheur. Liefst een nieuwe in dezelfde maat graag.",
        "en": "Here's the photo of the tear. I'd like a replacement in the same size please.",
    },
    "damaged_note": {"nl": "Foto akkoord; vervangend exemplaar aangevraagd bij het magazijn."},
    "damaged_handover": {"nl": "Wil jij de vervanging opvolgen? Ik ben morgen vrij."},
    "damaged_replacement": {
        "nl": "Goed nieuws: een nieuwe {product} is vandaag verzonden met {carrier}. De beschadigde "
              "hoef je niet terug te sturen. Groet, {agent}",
        "en": "Good news: a new {product} was shipped today with {carrier}. No need to send the "
              "damaged one back. Kind regards, {agent}",
    },
    "chat_size": {
        "nl": "Hallo, vallen de wollen truien klein? Ik twijfel tussen M en L.",
        "en": "Hi, do the wool sweaters run small? I'm not sure between M and L.",
    },
    "chat_size_reply": {
        "nl": "Hoi! Ze vallen normaal; bij twijfel raden we de grotere maat aan. In {store} liggen "
              "beide maten om te passen.",
        "en": "Hi! They're true to size; if in doubt we recommend the larger one. Our {store} store "
              "has both sizes to try on.",
    },
    "chat_thanks": {"nl": "Top, dank je!", "en": "Great, thanks!"},
    "instore_exchange": {
        "nl": "Klant aan de balie wil de {product} (bon {number}) ruilen voor een maat groter.",
    },
    "instore_exchange_done": {"nl": "Geruild voor een maat groter, klant tevreden."},
    "instore_refund": {
        "nl": "Klant vraagt in de winkel naar de terugbetaling van online bestelling {number}; de "
              "retour is tien dagen geleden verstuurd.",
    },
    "instore_refund_note": {
        "nl": "Betaling gecontroleerd: terugbetaling bleef hangen bij de bank, opnieuw verstuurd.",
    },
    "instore_refund_reply": {
        "nl": "Hoi {first}, je vroeg in onze winkel in {store} naar je terugbetaling. Die is vandaag "
              "opnieuw verstuurd; excuses voor het wachten. Groet, {agent}",
        "en": "Hi {first}, you asked about your refund in our {store} store. It was sent again "
              "today; sorry for the wait. Kind regards, {agent}",
    },
    "social_refund": {
        "nl": "Wacht nog steeds op mijn geld voor bestelling {number}, twee weken geleden "
              "teruggestuurd 😕",
        "en": "Still waiting for my refund for order {number}, sent it back two weeks ago 😕",
    },
    "social_refund_reply": {
        "nl": "Sorry voor het wachten, {first}! Ik heb het nagekeken: de terugbetaling is vandaag "
              "verstuurd en staat binnen 3 werkdagen op je rekening. ^{agent}",
        "en": "Sorry for the wait, {first}! I've checked: the refund went out today and will be in "
              "your account within 3 working days. ^{agent}",
    },
    "social_thanks": {"nl": "Ontvangen, dank je!", "en": "Received it, thanks!"},
    "phone_delivery": {
        "nl": "Telefoongesprek: klant vraagt of bestelling {number} op zaterdag bezorgd kan worden.",
    },
    "phone_delivery_note": {"nl": "Met {carrier} afgestemd: bezorging op zaterdag."},
    "phone_delivery_sms": {
        "nl": "Hoi {first}, zoals besproken wordt bestelling {number} zaterdag bezorgd door {carrier}.",
        "en": "Hi {first}, as agreed order {number} will be delivered by {carrier} on Saturday.",
    },
    "question.subject": {"nl": "Vraag over cadeaubon", "en": "Question about a gift card"},
    "question": {
        "nl": "Goedemorgen, kan ik een cadeaubon van de webshop ook in de winkel in {store} "
              "gebruiken?",
        "en": "Good morning, can I use a web shop gift card in your {store} store as well?",
    },
    "question_stock.subject": {"nl": "Nog op voorraad?", "en": "Still in stock?"},
    "question_stock": {
        "nl": "Is de {product} in maat M nog ergens op voorraad? Online is hij uitverkocht.",
        "en": "Is the {product} in size M still in stock anywhere? It's sold out online.",
    },
    "release_note": {"nl": "Terug in de wachtrij: ik sta vandaag in de winkel."},
    "complaint.subject": {"nl": "Klacht over bezorging", "en": "Complaint about delivery"},
    "complaint": {
        "nl": "Dit is de derde keer dat {carrier} mijn pakket bij de buren afgeeft zonder briefje. "
              "Bestelling {number}. Heel vervelend.",
        "en": "This is the third time {carrier} has left my parcel with the neighbours without a "
              "note. Order {number}. Very annoying.",
    },
    "complaint_reply": {
        "nl": "Wat vervelend, {first}, excuses daarvoor. Ik heb het bij {carrier} gemeld en kom erop "
              "terug. Groet, {agent}",
        "en": "I'm sorry, {first}, that's annoying. I've reported it to {carrier} and will get back "
              "to you. Kind regards, {agent}",
    },
    "complaint_note": {"nl": "Derde klacht over {carrier} van deze klant; graag een gebaar."},
    "complaint_handover": {"nl": "Fatima, wil jij beslissen over een tegoedbon?"},
    "complaint_voucher": {
        "nl": "Als excuus sturen we je een tegoedbon van € 10. We vragen {carrier} voortaan niet "
              "meer bij de buren te bezorgen. Groet, {agent}",
        "en": "As an apology we're sending you a € 10 voucher, and we've asked {carrier} not to "
              "deliver to your neighbours any more. Kind regards, {agent}",
    },
}
