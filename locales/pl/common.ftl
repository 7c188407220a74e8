# Shared phrases of every letter: the brand, the place-and-date line, salutations, closings.
-brand = Example Bank

# Polish letters date as "Warszawa, 23 listopada 2026 r." (month in the genitive).
place-date = { $place }, { DATE($today, style: "long") } r.

# Forms of address are capitalised as a sign of respect; the letter continues in lower case.
salutation = { $gender ->
    [female] Szanowna Pani,
    [male] Szanowny Panie,
   *[other] Szanowni Państwo,
}

closing-formula = Z poważaniem
# Impersonal on purpose: the invoice goes to women, men and companies alike.
closing-thanks = Dziękujemy za terminowe płatności i okazane nam zaufanie.

signature-billing = Dział Rozliczeń
signature-complaints = Dział Reklamacji
signature-service = Biuro Obsługi Klienta
signature-collections = Dział Windykacji

# The contact line of letters that invite questions (partials/contact.tera).
contact-us = W razie pytań zapraszamy do kontaktu pod numerem telefonu { $phone } lub pod adresem e-mail { $email }.
