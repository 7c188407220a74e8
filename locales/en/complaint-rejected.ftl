# Complaint not upheld: the decision, its reason, the customer's rights and the appeal path.
# Never blame the customer; the reason itself comes from the record (complaint.reason).
complaint-rejected-subject = Response to complaint no. { $number }
complaint-rejected-decision = We have considered your complaint no. { $number }, which we received on { DATE($received) }. We regret to inform you that, after a careful review of the case, we have not upheld it.
complaint-rejected-reason-heading = The reasons for our decision are as follows:
complaint-rejected-understand = We understand that this decision may be disappointing.
complaint-rejected-rights = If you disagree with it, you may:
complaint-rejected-appeal = appeal to us within 14 days of receiving this letter – in writing to { $address }, by email to { $email } or by telephone on { $phone };
# For natural persons only: the Financial Ombudsman does not take cases of companies.
complaint-rejected-ombudsman = apply to the Financial Ombudsman (*Rzecznik Finansowy*, www.rf.gov.pl) to review your case or to resolve the dispute out of court;
# For companies: the Court of Arbitration at the KNF hears disputes of all clients of the financial market.
complaint-rejected-arbitration = apply to the Court of Arbitration at the Polish Financial Supervision Authority (*Sąd Polubowny przy KNF*, www.knf.gov.pl) for mediation or arbitration;
complaint-rejected-court = bring your claim before a civil court.
complaint-rejected-documents = We will consider your appeal within 30 days of receiving it. Please enclose any information or documents that may be relevant: we will take them into account when we review the case again.
complaint-rejected-closing = We remain at your disposal should you need any further information.

# The hidden line mail clients show after the subject (one fixed line: no variables).
complaint-rejected-preheader = Our answer to your complaint, with the reasons and how to appeal.
