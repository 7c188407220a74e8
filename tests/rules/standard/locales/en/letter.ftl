letter-subject = A letter about your account
