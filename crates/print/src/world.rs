//! The smallest typst [`World`]: one main source held in memory, the standard library with
//! the document's data in `sys.inputs`, and the two vendored Vazirmatn faces. No file system,
//! no system fonts, no packages, no network, no clock: a source that asks for anything else
//! fails to compile.

use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// Vazirmatn 33.0.3, regular and bold (see `fonts/README.md`).
static FONT_FILES: [&[u8]; 2] = [
    include_bytes!("../fonts/vazirmatn-33.0.3-regular.ttf"),
    include_bytes!("../fonts/vazirmatn-33.0.3-bold.ttf"),
];

/// The fonts, parsed once per process.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = FONT_FILES
        .iter()
        .flat_map(|data| Font::iter(Bytes::new(*data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

/// A document to compile: its markup and the data it reads from `sys.inputs.data`.
pub struct DocWorld {
    library: LazyHash<Library>,
    main: Source,
}

impl DocWorld {
    /// A world whose main file `name` (a fixed name per template) holds `markup`, with `data`
    /// (a JSON text) as the string `sys.inputs.data`: user values travel as data, never as
    /// markup, so nothing in them is ever read as typst syntax.
    pub fn new(name: &str, markup: &str, data: String) -> Self {
        let mut inputs = Dict::new();
        inputs.insert("data".into(), data.into_value());
        let library = Library::builder().with_inputs(inputs).build();
        let path = VirtualPath::new(name).expect("template names are plain file names");
        let id = RootedPath::new(VirtualRoot::Project, path).intern();
        DocWorld {
            library: LazyHash::new(library),
            main: Source::new(id, markup.to_string()),
        }
    }
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(not_found(id))
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            Ok(Bytes::from_string(self.main.text().to_string()))
        } else {
            Err(not_found(id))
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Documents print the dates they are given (Jalali, Tehran's day), never the clock.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
