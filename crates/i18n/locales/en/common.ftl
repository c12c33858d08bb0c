# Words used across pages, messages and errors.
app-name = Vamyar
app-tagline = Employment loans for the agency's beneficiaries
amount-tomans = { $amount } tomans
