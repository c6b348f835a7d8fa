"""Names and texts for the bench's synthetic customers, orders and messages.

Wider name lists than the demo's, so a surname search matches the share of customers
a real Dutch customer base would (about one in a few hundred), not thousands.
"""

from __future__ import annotations

FIRST_NAMES = (
    "Anna", "Daan", "Sophie", "Lucas", "Julia", "Sem", "Lotte", "Noah", "Fleur", "Finn", "Eva",
    "Jesse", "Noor", "Thijs", "Lisa", "Bram", "Iris", "Ruben", "Sara", "Milan", "Femke", "Luuk",
    "Anouk", "Joris", "Maud", "Stijn", "Yara", "Mohamed", "Fenna", "Timo", "Emma", "Tess", "Levi",
    "Sanne", "Pieter", "Roos", "Jan", "Kees", "Marieke", "Wouter", "Ilse", "Gijs", "Hanna", "Rik",
    "Esther", "Koen", "Lieke", "Mark", "Nina", "Olaf", "Petra", "Quinten", "Romy", "Sander",
    "Tamara", "Ugur", "Vera", "Willem", "Xander", "Yusuf", "Zoë", "Oliver", "Amelia", "George",
    "Isla", "Harry", "Ava", "Jack", "Mia", "Charlie", "Grace", "Thomas", "Emily", "James", "Chloe",
    "William", "Ella", "Daniel", "Hannah", "Priya", "Liam", "Fatima", "Aylin", "Mehmet", "Sofia",
)
LAST_NAMES = (
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "Kok", "Jacobs", "el Idrissi", "Yilmaz", "van Vliet", "van der Linden", "Koster", "Willems",
    "Prins", "Huisman", "Peeters", "Kuipers", "van Beek", "Maas", "Verhoeven", "Hoekstra",
    "van der Heijden", "Schouten", "Kramer", "van Wijk", "Vermeulen", "van den Broek", "de Haan",
    "Post", "Blom", "Scholten", "Kuijpers", "van Dam", "Koning", "Wijnands", "Boer", "Martens",
    "Veenstra", "Evers", "Bosman", "Groen", "Hermans", "Gerritsen", "Verbeek", "van Loon",
    "Driessen", "Brink", "Molenaar", "Verschuren", "Timmermans", "Claassen", "Sanders", "Wouters",
    "Bakker-de Vries", "Ouali", "Demir", "Kaya", "Nguyen", "Tan", "Smith", "Jones", "Taylor",
    "Brown", "Williams", "Wilson", "Johnson", "Davies", "Evans", "Walker", "Patel", "Murphy",
    "Hughes", "Green", "Clarke", "Wright", "Thompson", "O'Brien", "Kowalski", "Nowak", "Rossi",
)

SUBJECTS = (
    "Waar blijft bestelling {number}?", "Retour bestelling {number}", "Vraag over mijn bestelling",
    "Where is order {number}?", "Damaged item", "Vraag over cadeaubon", "Klacht over bezorging",
    "Ruilen in de winkel", "Refund not received", "Maat te klein",
)
INBOUND = (
    "Hallo, ik heb bestelling {number} geplaatst maar nog niets ontvangen. Waar blijft mijn pakket?",
    "Hoi! De wollen trui uit bestelling {number} is te klein. Kan ik die nog retourneren?",
    "Hi, order {number} arrived today but the rain jacket has a tear in the seam. What now?",
    "Still waiting for my refund for order {number}, sent it back two weeks ago.",
    "Kan ik een cadeaubon van de webshop ook in de winkel gebruiken?",
    "Is de regenjas in maat M nog ergens op voorraad? Online is hij uitverkocht.",
    "Het pakket is binnen, dank jullie wel!",
    "Hierbij de foto van de beschadiging. Liefst een nieuwe in dezelfde maat graag.",
    "Do the wool sweaters run small? I'm not sure between M and L.",
    "Dit is de derde keer dat de bezorger mijn pakket bij de buren afgeeft zonder briefje.",
    "Pakket is vanochtend ingeleverd bij het PostNL-punt.",
    "Thanks, that's all I needed!",
)
OUTBOUND = (
    "Hoi, je pakket is onderweg met PostNL en wordt naar verwachting morgen bezorgd. Groet, Sanne",
    "Zeker! Je kunt tot 30 dagen na ontvangst retourneren. Het retourlabel staat in je mail.",
    "So sorry! Could you send us a photo of the damage? WhatsApp is fine too.",
    "We hebben je retour ontvangen; het bedrag staat binnen 3 werkdagen op je rekening.",
    "Ja, een cadeaubon van de webshop kun je in al onze winkels gebruiken.",
    "The refund went out today and will be in your account within 3 working days.",
    "Excuses voor het ongemak, we hebben het bij de vervoerder gemeld.",
    "Good news: a replacement was shipped today with DHL.",
)
NOTES = (
    "Vervangend exemplaar aangevraagd bij het magazijn.",
    "Retour binnen, terugbetaling gestart.",
    "Klant belde nog even na, alles duidelijk.",
    "Derde klacht over de vervoerder; graag een gebaar.",
)
