# Complaint upheld: the decision, the refund and its date, an apology, thanks.
# "r." after a date is joined to the year by a no-break space, { "\u00A0" }, so that no line starts with it.
complaint-accepted-subject = Odpowiedź na reklamację nr { $number } – reklamacja uznana
complaint-accepted-decision = rozpatrzyliśmy { $gender ->
        [female] Pani
        [male] Pana
       *[other] Państwa
    } reklamację nr { $number }, którą otrzymaliśmy { DATE($received) }{ "\u00A0" }r., i uznaliśmy ją za zasadną.
complaint-accepted-refund = Kwotę { $amount } zwrócimy na { $gender ->
        [female] Pani
        [male] Pana
       *[other] Państwa
    } rachunek najpóźniej do { DATE($refund_date) }{ "\u00A0" }r.
complaint-accepted-apology = { $gender ->
    [female] Przepraszamy za niedogodności, których Pani doświadczyła.
    [male] Przepraszamy za niedogodności, których Pan doświadczył.
   *[other] Przepraszamy za niedogodności, których Państwo doświadczyli.
}
complaint-accepted-thanks = { $gender ->
    [female] Dziękujemy, że zgłosiła Pani tę sprawę – dzięki temu możemy doskonalić nasze usługi.
    [male] Dziękujemy, że zgłosił Pan tę sprawę – dzięki temu możemy doskonalić nasze usługi.
   *[other] Dziękujemy, że zgłosili Państwo tę sprawę – dzięki temu możemy doskonalić nasze usługi.
}

# Ukryta linia, którą programy pocztowe pokazują po temacie (stała, bez zmiennych).
complaint-accepted-preheader = Odpowiedź na reklamację: uznaliśmy ją.
