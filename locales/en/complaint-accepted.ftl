# Complaint upheld: the decision, the refund and its date, an apology, thanks.
complaint-accepted-subject = Response to complaint no. { $number }: complaint upheld
complaint-accepted-decision = We have considered your complaint no. { $number }, which we received on { DATE($received) }, and we have upheld it.
complaint-accepted-refund = We will refund { $amount } to your account by { DATE($refund_date) }.
complaint-accepted-apology = We apologise for the inconvenience this has caused you.
complaint-accepted-thanks = Thank you for bringing this matter to our attention: it helps us improve our services.

# The hidden line mail clients show after the subject (one fixed line: no variables).
complaint-accepted-preheader = Our answer to your complaint: we have upheld it.
