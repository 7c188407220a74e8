# Complaint not upheld: the decision, its reason, the customer's rights and the appeal path.
# Never blame the customer; the reason itself comes from the record (complaint.reason).
# "r." after a date is joined to the year by a no-break space, { "\u00A0" }, so that no line starts with it.
complaint-rejected-subject = Odpowiedź na reklamację nr { $number }
complaint-rejected-decision = rozpatrzyliśmy { $gender ->
        [female] Pani
        [male] Pana
       *[other] Państwa
    } reklamację nr { $number }, którą otrzymaliśmy { DATE($received) }{ "\u00A0" }r. Z przykrością informujemy, że po dokładnej analizie sprawy nie uwzględniliśmy reklamacji.
complaint-rejected-reason-heading = Naszą decyzję uzasadniamy następująco:
complaint-rejected-understand = { $gender ->
    [female] Rozumiemy, że ta decyzja może być dla Pani rozczarowująca.
    [male] Rozumiemy, że ta decyzja może być dla Pana rozczarowująca.
   *[other] Rozumiemy, że ta decyzja może być dla Państwa rozczarowująca.
}
complaint-rejected-rights = { $gender ->
    [female] Jeżeli nie zgadza się Pani z naszym stanowiskiem, może Pani:
    [male] Jeżeli nie zgadza się Pan z naszym stanowiskiem, może Pan:
   *[other] Jeżeli nie zgadzają się Państwo z naszym stanowiskiem, mogą Państwo:
}
complaint-rejected-appeal = złożyć do nas odwołanie w ciągu 14 dni od otrzymania tego pisma – pisemnie na adres { $address }, e-mailem na adres { $email } lub telefonicznie pod numerem { $phone };
# For natural persons only: the Financial Ombudsman does not take cases of companies.
complaint-rejected-ombudsman = zwrócić się do Rzecznika Finansowego (www.rf.gov.pl) z wnioskiem o rozpatrzenie sprawy lub o przeprowadzenie postępowania w sprawie pozasądowego rozwiązania sporu;
# For companies: the Court of Arbitration at the KNF hears disputes of all clients of the financial market.
complaint-rejected-arbitration = zwrócić się do Sądu Polubownego przy Komisji Nadzoru Finansowego (www.knf.gov.pl) o przeprowadzenie mediacji lub postępowania arbitrażowego;
complaint-rejected-court = dochodzić swoich roszczeń przed sądem powszechnym.
complaint-rejected-documents = Odwołanie rozpatrzymy w ciągu 30 dni od jego otrzymania. { $gender ->
        [female] Jeżeli ma Pani informacje lub dokumenty
        [male] Jeżeli ma Pan informacje lub dokumenty
       *[other] Jeżeli mają Państwo informacje lub dokumenty
    }, które mogą mieć znaczenie dla sprawy, prosimy dołączyć je do odwołania – uwzględnimy je, ponownie analizując sprawę.
complaint-rejected-closing = { $gender ->
    [female] Pozostajemy do Pani dyspozycji.
    [male] Pozostajemy do Pana dyspozycji.
   *[other] Pozostajemy do Państwa dyspozycji.
}

# Ukryta linia, którą programy pocztowe pokazują po temacie (stała, bez zmiennych).
complaint-rejected-preheader = Odpowiedź na reklamację wraz z uzasadnieniem i informacją o odwołaniu.
