# Complaint acknowledgement: the case number, the date received, the date of the answer.
# "r." after a date is joined to the year by a no-break space, { "\u00A0" }, so that no line starts with it.
complaint-acknowledgement-subject = Potwierdzenie otrzymania reklamacji nr { $number }
complaint-acknowledgement-intro = potwierdzamy, że { DATE($received) }{ "\u00A0" }r. otrzymaliśmy { $gender ->
        [female] Pani
        [male] Pana
       *[other] Państwa
    } reklamację i zarejestrowaliśmy ją pod numerem { $number }. Prosimy powoływać się na ten numer w dalszej korespondencji.
complaint-acknowledgement-answer = Reklamację rozpatrzymy najszybciej, jak to możliwe. Odpowiedź prześlemy { $gender ->
        [female] Pani
        [male] Panu
       *[other] Państwu
    } najpóźniej do { DATE($answer_by) }{ "\u00A0" }r. { $channel ->
        [email] e-mailem na adres { $email }.
       *[letter] pocztą na adres do korespondencji.
    }
# Art. 6 of the Polish complaints act: a complex case may take up to 60 days, with the reason stated.
complaint-acknowledgement-complex = Jeżeli sprawa okaże się szczególnie złożona i udzielenie odpowiedzi w tym terminie nie będzie możliwe, jeszcze przed jego upływem { $gender ->
        [female] poinformujemy Panią
        [male] poinformujemy Pana
       *[other] poinformujemy Państwa
    } o przyczynie opóźnienia, o okolicznościach, które musimy ustalić, oraz o nowym terminie odpowiedzi. Nie będzie on dłuższy niż 60 dni od dnia otrzymania reklamacji.
complaint-acknowledgement-thanks = Dziękujemy za cierpliwość.

# Ukryta linia, którą programy pocztowe pokazują po temacie (stała, bez zmiennych).
complaint-acknowledgement-preheader = Otrzymaliśmy reklamację i odpowiemy na nią na piśmie.
