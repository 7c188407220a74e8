letter-subject = Pismo w sprawie konta
