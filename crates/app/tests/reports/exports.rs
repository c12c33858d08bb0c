//! The two exports: a byte order mark for spreadsheet programs and a right-to-left sheet.

use super::*;

both_engines!(
    exports_have_a_bom_and_a_right_to_left_sheet,
    |t: TestDb| async move {
        let ctx = dataset::ctx_of(&t).await;
        dataset::build(&ctx).await;
        let admin = dataset::staff(&ctx, "admin").await;
        let funnel = run(&ctx, &admin, "funnel", ReportQuery::default()).await;
        let csv = r::export::csv(&funnel).unwrap();
        assert!(csv.starts_with("\u{feff}".as_bytes()));
        let text = String::from_utf8(csv).unwrap();
        assert!(text.contains("مرحله,واردشده,اکنون در مرحله"), "{text}");
        // 7500 bp as a percentage, 1.5 working days
        assert!(text.contains(",75.00"), "{text}");
        assert!(text.contains(",1.5,"), "{text}");
        let en = r::run(&ctx, &admin, "funnel", &ReportQuery::default(), Lang::En)
            .await
            .unwrap();
        let english = String::from_utf8(r::export::csv(&en).unwrap()).unwrap();
        assert!(
            english.contains("Stage,Entered,In the stage now"),
            "{english}"
        );

        let money = run(&ctx, &admin, "disbursements", ReportQuery::default()).await;
        let bytes = r::xlsx::workbook(&money).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let mut sheet = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut sheet,
        )
        .unwrap();
        assert!(sheet.contains("rightToLeft=\"1\""), "{sheet}");
        use calamine::{DataType, Reader};
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let names = book.sheet_names();
        let range = book.worksheet_range(&names[0]).unwrap();
        assert_eq!(range.get_value((0, 0)).unwrap().to_string(), "ماه");
        assert_eq!(range.get_value((1, 0)).unwrap().to_string(), "آذر ۱۴۰۵");
        assert_eq!(
            range.get_value((1, 2)).unwrap().as_f64(),
            Some(1_200_000_000.0)
        );
    }
);
