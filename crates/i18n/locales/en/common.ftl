# Words used across pages, messages and errors.
app-name = Vamyar
app-tagline = Employment loans for the agency's beneficiaries
amount-tomans = { $amount } tomans
payment-recorded = Payment recorded.
payment-already_recorded = This payment was already recorded with this bank reference; nothing changed and it was not recorded again.
