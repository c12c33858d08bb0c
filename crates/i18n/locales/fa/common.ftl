# Words used across pages, messages and errors.
app-name = وام‌یار
app-tagline = خدمت پرداخت تسهیلات اشتغال به مددجویان
amount-tomans = { $amount } تومان
payment-recorded = پرداخت ثبت شد.
payment-already_recorded = این پرداخت پیش‌تر با همین شمارهٔ پیگیری بانک ثبت شده بود؛ چیزی تغییر نکرد و دوباره ثبت نشد.
