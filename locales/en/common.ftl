# Shared phrases of every letter: the brand, the place-and-date line, salutations, closings.
-brand = Example Bank

place-date = { $place }, { DATE($today, style: "long") }

salutation = { $gender ->
    [company] Dear Sir or Madam,
   *[other] Dear { $name },
}

closing-formula = Yours sincerely,
closing-thanks = Thank you for your timely payments and for the trust you place in us.

signature-billing = Billing Department
signature-complaints = Complaints Department
signature-service = Customer Service
signature-collections = Collections Department
