# Final demand before debt collection (przedsądowe wezwanie do zapłaty): firm, factual, never threatening.
# "r." after a date is joined to the year by a no-break space, { "\u00A0" }, so that no line starts with it.
final-demand-subject = Przedsądowe wezwanie do zapłaty – faktura nr { $number }
# "o 1 dzień", "o 2 dni", "o 5 dni", "o 22 dni"; fractions ("o 1,5 dnia") cannot occur but are correct.
final-demand-intro = mimo wcześniejszego przypomnienia nie otrzymaliśmy zapłaty za fakturę VAT nr { $number }, której termin płatności upłynął { DATE($due) }{ "\u00A0" }r. Płatność jest opóźniona o { $days ->
        [one] { $days } dzień
        [few] { $days } dni
        [other] { $days } dnia
       *[many] { $days } dni
    }, a kwota zaległości wynosi { $amount }.
final-demand-request = { $gender ->
        [female] Wzywamy Panią
        [male] Wzywamy Pana
       *[other] Wzywamy Państwa
    } do zapłaty kwoty { $amount } w nieprzekraczalnym terminie do { DATE($pay_by) }{ "\u00A0" }r. Wpłaty prosimy dokonać na rachunek nr { $account }, podając w tytule przelewu numer faktury.
final-demand-next = Jeżeli należność nie zostanie uregulowana w tym terminie, sprawa może zostać przekazana firmie windykacyjnej lub skierowana na drogę postępowania sądowego, co wiązałoby się z dodatkowymi kosztami. Chcielibyśmy tego uniknąć.
final-demand-plan = { $gender ->
    [female] Jeżeli jednorazowa spłata całej kwoty jest dla Pani obecnie trudna, prosimy o kontakt przed upływem tego terminu – chętnie uzgodnimy z Panią plan spłaty w ratach, dostosowany do Pani możliwości.
    [male] Jeżeli jednorazowa spłata całej kwoty jest dla Pana obecnie trudna, prosimy o kontakt przed upływem tego terminu – chętnie uzgodnimy z Panem plan spłaty w ratach, dostosowany do Pana możliwości.
   *[other] Jeżeli jednorazowa spłata całej kwoty jest dla Państwa obecnie trudna, prosimy o kontakt przed upływem tego terminu – chętnie uzgodnimy z Państwem plan spłaty w ratach, dostosowany do Państwa możliwości.
}
final-demand-already-paid = Jeżeli należność została już uregulowana, prosimy potraktować to pismo jako nieaktualne.
final-demand-closing = Liczymy na polubowne zakończenie sprawy.

# Ukryta linia, którą programy pocztowe pokazują po temacie (stała, bez zmiennych).
final-demand-preheader = Faktura jest nadal nieopłacona: w piśmie podajemy termin i sposób zapłaty oraz możliwość rozłożenia na raty.
