# A case forwarded to another department: where, why, and when they will be in touch.
# "r." after a date is joined to the year by a no-break space, { "\u00A0" }, so that no line starts with it.
case-forwarded-subject = Przekazanie sprawy nr { $number } do właściwego działu
# $department is the subject of the sentence, so it stands in the nominative as the record gives it.
case-forwarded-intro = informujemy, że { $gender ->
        [female] Pani
        [male] Pana
       *[other] Państwa
    } sprawę nr { $number } przekazaliśmy do dalszej obsługi. Zajmie się nią teraz { $department }.
case-forwarded-why = { $reason ->
    [product] Sprawa dotyczy produktu, którym zajmuje się ten dział.
    [documents] Sprawa wymaga szczegółowej analizy dokumentów, którą przeprowadzą specjaliści tego działu.
   *[specialist] Sprawa wymaga specjalistycznej wiedzy, którą dysponują pracownicy tego działu.
}
case-forwarded-when = { $gender ->
    [female] Pracownik działu skontaktuje się z Panią do { DATE($contact_by) }{ "\u00A0" }r. Do tego czasu nie musi Pani podejmować żadnych działań.
    [male] Pracownik działu skontaktuje się z Panem do { DATE($contact_by) }{ "\u00A0" }r. Do tego czasu nie musi Pan podejmować żadnych działań.
   *[other] Pracownik działu skontaktuje się z Państwem do { DATE($contact_by) }{ "\u00A0" }r. Do tego czasu nie muszą Państwo podejmować żadnych działań.
}
case-forwarded-number = W dalszej korespondencji prosimy powoływać się na numer sprawy { $number }.
case-forwarded-thanks = Dziękujemy za cierpliwość.

# Ukryta linia, którą programy pocztowe pokazują po temacie (stała, bez zmiennych).
case-forwarded-preheader = Sprawa trafiła do działu, który się nią zajmie.
