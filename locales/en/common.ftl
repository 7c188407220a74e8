# Shared phrases of every letter: the brand, the place-and-date line, salutations, closings.
-brand = Example Bank

place-date = { $place }, { DATE($today, style: "long") }

salutation = { $gender ->
    [company] Dear Sir or Madam,
   *[other] Dear { $name },
}

# British usage: "Dear Sir or Madam" closes with "Yours faithfully", a letter to a named person with "Yours sincerely".
closing-formula = { $gender ->
    [company] Yours faithfully,
   *[other] Yours sincerely,
}
closing-thanks = Thank you for your timely payments and for the trust you place in us.

signature-billing = Billing Department
signature-complaints = Complaints Department
signature-service = Customer Service
signature-collections = Collections Department

# The contact line of letters that invite questions (partials/contact.tera).
contact-us = If you have any questions, please call us on { $phone } or email us at { $email }.
