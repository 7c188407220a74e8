# Payment reminder: the first, gentle one.
payment-reminder-subject = Payment reminder: VAT invoice no. { $number }
payment-reminder-intro = This is a friendly reminder that payment of { $total } for VAT invoice no. { $number } was due on { DATE($due) }, and we have not yet received it. We appreciate that it may simply have been overlooked.
payment-reminder-request = Please pay { $total } into account no. { $account } by { DATE($pay_by) }, quoting the invoice number as the payment reference.
payment-reminder-already-paid = If you have already made the payment, please disregard this letter.
payment-reminder-thanks = Thank you in advance for your payment.

# The hidden line mail clients show after the subject (one fixed line: no variables).
payment-reminder-preheader = A friendly reminder about an invoice that is past its due date.
