//! The window's pages. Each is a module with its own state and a `show` that draws it and
//! returns what its views ask for, as commands the app applies at the end of the frame.

pub mod bulk;
pub mod history;
pub mod login;
pub mod matrix;

use egui::Ui;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Page {
    #[default]
    Login,
    Bulk,
    Matrix,
    History,
}

impl Page {
    pub const ALL: [Page; 4] = [Page::Login, Page::Bulk, Page::Matrix, Page::History];

    pub fn title(self) -> &'static str {
        match self {
            Page::Login => "Login",
            Page::Bulk => "Bulk check",
            Page::Matrix => "Scope matrix",
            Page::History => "History",
        }
    }
}

/// The page switcher in the top bar; nothing while there is only one page to show.
pub fn switcher(ui: &mut Ui, current: Page) -> Option<Page> {
    if Page::ALL.len() < 2 {
        return None;
    }
    let mut chosen = None;
    for page in Page::ALL {
        if ui.selectable_label(page == current, page.title()).clicked() && page != current {
            chosen = Some(page);
        }
    }
    chosen
}
