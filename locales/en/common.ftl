# Shared phrases of every letter: the brand, the place-and-date line, salutations, closings.
-brand = Example Bank

place-date = { $place }, { DATE($today, style: "long") }

# Every letter addresses the customer by name; a company is addressed as its team, never as "Sir or Madam".
salutation = { $gender ->
    [company] Dear { $name } team,
   *[other] Dear { $name },
}

# British usage: a letter to a named addressee closes with "Yours sincerely".
closing-formula = Yours sincerely,
closing-thanks = Thank you for your timely payments and for the trust you place in us.

signature-billing = Billing Department
signature-complaints = Complaints Department
signature-service = Customer Service
signature-collections = Collections Department

# The contact line of letters that invite questions (partials/contact.tera).
contact-us = If you have any questions, please call us on { $phone } or email us at { $email }.
