invoice-subject = Faktura VAT nr { $number } od { -brand }
invoice-intro = wystawiliśmy fakturę VAT nr { $number } na kwotę { $total }. Termin płatności upływa { DATE($due) } r.
invoice-lines-heading = Faktura obejmuje { $count ->
    [one] { $count } pozycję
    [few] { $count } pozycje
   *[other] { $count } pozycji
}:
invoice-col-description = Pozycja
invoice-col-quantity = Ilość
invoice-col-amount = Cena jednostkowa
invoice-col-total = Razem do zapłaty
invoice-payment = Prosimy o wpłatę kwoty { $total } na rachunek nr { $account } do { DATE($due) } r.

# Ukryta linia, którą programy pocztowe pokazują po temacie (stała, bez zmiennych).
invoice-preheader = Nowa faktura VAT od { -brand } jest gotowa.
