# Complaint acknowledgement: the case number, the date received, the date of the answer.
complaint-acknowledgement-subject = Acknowledgement of complaint no. { $number }
complaint-acknowledgement-intro = We confirm that we received your complaint on { DATE($received) } and have registered it under number { $number }. Please quote this number in any further correspondence.
complaint-acknowledgement-answer = We will deal with your complaint as quickly as possible and send you our answer by { DATE($answer_by) } at the latest, { $channel ->
        [email] by email to { $email }.
       *[letter] by post to your correspondence address.
    }
complaint-acknowledgement-complex = If the case proves particularly complex and we cannot answer by that date, we will tell you before then why, and what still needs to be established. Our answer will then come no later than 60 days after we received your complaint.
complaint-acknowledgement-thanks = Thank you for your patience.

# The hidden line mail clients show after the subject (one fixed line: no variables).
complaint-acknowledgement-preheader = We have received your complaint and will answer it in writing.
