# A case forwarded to another department: where, why, and when they will be in touch.
case-forwarded-subject = Your case no. { $number } has been forwarded
case-forwarded-intro = We are writing to let you know that we have forwarded your case no. { $number } to the department best placed to deal with it: { $department }.
case-forwarded-why = { $reason ->
    [product] The case concerns a product that this department looks after.
    [documents] The case requires a detailed review of documents, which this department's specialists will carry out.
   *[specialist] The case requires specialist knowledge that this department's staff have.
}
case-forwarded-when = A member of that department will contact you by { DATE($contact_by) }. You do not need to do anything in the meantime.
case-forwarded-number = Please quote case number { $number } in any further correspondence.
case-forwarded-thanks = Thank you for your patience.

# The hidden line mail clients show after the subject (one fixed line: no variables).
case-forwarded-preheader = Your case has been passed to the department that handles it.
