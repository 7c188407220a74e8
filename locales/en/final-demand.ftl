# Final demand before debt collection: firm, factual, never threatening.
final-demand-subject = Final demand for payment: VAT invoice no. { $number }
final-demand-intro = Despite our earlier reminder, we have not received payment for VAT invoice no. { $number }, which was due on { DATE($due) }. The payment is now { $days ->
        [one] { $days } day
       *[other] { $days } days
    } overdue, and the amount outstanding is { $amount }.
final-demand-request = We therefore ask you to pay { $amount } by { DATE($pay_by) } at the latest. Please pay into account no. { $account }, quoting the invoice number as the payment reference.
final-demand-next = If payment is not received by that date, the matter may be passed to a debt collection agency or referred to court, which would involve additional costs. We would much prefer to avoid this.
final-demand-plan = If paying the full amount at once is difficult for you at the moment, please contact us before that date: we will be glad to agree a repayment plan in instalments that suits your circumstances.
final-demand-already-paid = If you have already paid, please disregard this letter.
final-demand-closing = We hope to resolve this matter amicably.

# The hidden line mail clients show after the subject (one fixed line: no variables).
final-demand-preheader = An invoice is still unpaid: the letter says by when and how to settle it, or to agree instalments.
