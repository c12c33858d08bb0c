# Words used across pages, messages and errors.
app-name = وام‌یار
app-tagline = خدمت پرداخت تسهیلات اشتغال به مددجویان
amount-tomans = { $amount } تومان
