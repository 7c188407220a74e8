# Payment reminder: the first, gentle one. The paragraph after the salutation starts in lower case.
# "r." after a date is joined to the year by a no-break space, { "\u00A0" }, so that no line starts with it.
payment-reminder-subject = Przypomnienie o płatności za fakturę VAT nr { $number }
payment-reminder-intro = uprzejmie przypominamy, że { DATE($due) }{ "\u00A0" }r. upłynął termin płatności faktury VAT nr { $number } na kwotę { $total }. Do dziś nie odnotowaliśmy wpłaty – rozumiemy, że termin mógł po prostu umknąć { $gender ->
        [female] Pani
        [male] Panu
       *[other] Państwu
    } uwadze.
payment-reminder-request = Prosimy o wpłatę kwoty { $total } na rachunek nr { $account } do { DATE($pay_by) }{ "\u00A0" }r. W tytule przelewu prosimy podać numer faktury.
payment-reminder-already-paid = { $gender ->
    [female] Jeżeli dokonała Pani już wpłaty, prosimy potraktować to pismo jako nieaktualne.
    [male] Jeżeli dokonał Pan już wpłaty, prosimy potraktować to pismo jako nieaktualne.
   *[other] Jeżeli dokonali Państwo już wpłaty, prosimy potraktować to pismo jako nieaktualne.
}
payment-reminder-thanks = Z góry dziękujemy za uregulowanie należności.

# Ukryta linia, którą programy pocztowe pokazują po temacie (stała, bez zmiennych).
payment-reminder-preheader = Uprzejme przypomnienie o fakturze, której termin płatności minął.
