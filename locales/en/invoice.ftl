invoice-subject = VAT invoice no. { $number } from { -brand }
invoice-intro = We have issued VAT invoice no. { $number } for { $total }. Payment is due on { DATE($due) }.
invoice-lines-heading = The invoice has { $count ->
    [one] { $count } item
   *[other] { $count } items
}:
invoice-col-description = Item
invoice-col-quantity = Quantity
invoice-col-amount = Unit price
invoice-col-total = Total due
invoice-payment = Please pay { $total } into account no. { $account } by { DATE($due) }.

# The hidden line mail clients show after the subject (one fixed line: no variables).
invoice-preheader = Your new VAT invoice from { -brand } is ready.
