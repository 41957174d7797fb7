//! The window's colours, one set per theme, each readable at WCAG AA (4.5:1 for normal text) on
//! what it is drawn on. egui's own light theme draws warnings, errors and weak labels below that
//! (orange on near-white is 2.8:1), and no single green or orange reads on both a white and a
//! black panel, so text colours are chosen by the theme shown. The tests compute every ratio.

use egui::{Color32, Context, Theme, Visuals};

/// The colours the window writes in, for one theme. Pills use them as fills, with `text_on`.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub green: Color32,
    pub amber: Color32,
    pub orange: Color32,
    /// Everything that says "live" or "invalid".
    pub red: Color32,
    pub grey: Color32,
}

const LIGHT: Palette = Palette {
    green: Color32::from_rgb(0x17, 0x68, 0x2c),
    amber: Color32::from_rgb(0x8a, 0x5a, 0x00),
    orange: Color32::from_rgb(0x9a, 0x42, 0x00),
    red: Color32::from_rgb(0xb8, 0x1c, 0x1c),
    grey: Color32::from_rgb(0x5e, 0x5e, 0x5e),
};

const DARK: Palette = Palette {
    green: Color32::from_rgb(0x4c, 0xc8, 0x6a),
    amber: Color32::from_rgb(0xe8, 0xb0, 0x30),
    orange: Color32::from_rgb(0xf0, 0x9a, 0x40),
    red: Color32::from_rgb(0xff, 0x6a, 0x6a),
    grey: Color32::from_rgb(0xa0, 0xa0, 0xa0),
};

/// The DEMO badge's fill (white text on it in both themes).
pub const DEMO_FILL: Color32 = Color32::from_rgb(0x6a, 0x3d, 0xc8);

/// The palette of the theme `visuals` belong to.
pub fn palette(visuals: &Visuals) -> &'static Palette {
    if visuals.dark_mode {
        &DARK
    } else {
        &LIGHT
    }
}

/// White or near-black, whichever reads better on `fill` (a pill, a red button).
pub fn text_on(fill: Color32) -> Color32 {
    let dark_text = Color32::from_gray(0x10);
    if contrast(Color32::WHITE, fill) >= contrast(dark_text, fill) {
        Color32::WHITE
    } else {
        dark_text
    }
}

/// egui's text colours that fall short on their own panels, replaced.
fn adjust(visuals: &mut Visuals) {
    if visuals.dark_mode {
        // 4.3:1 on the dark panel.
        visuals.error_fg_color = Color32::from_rgb(0xff, 0x5c, 0x5c);
        // Weak labels are normal text at 60 %: 2.7:1. Normal text brightens a little so that
        // weak text can stay dimmer than it and still pass.
        visuals.widgets.noninteractive.fg_stroke.color = Color32::from_gray(190);
        visuals.weak_text_color = Some(Color32::from_gray(150));
    } else {
        visuals.error_fg_color = Color32::from_rgb(0xc0, 0x10, 0x10);
        visuals.warn_fg_color = Color32::from_rgb(0x9a, 0x42, 0x00);
        visuals.weak_text_color = Some(Color32::from_gray(100));
        visuals.hyperlink_color = Color32::from_rgb(0x00, 0x5f, 0xb0);
    }
}

/// Puts the readable colours in both of the context's themes.
pub fn install(ctx: &Context) {
    for theme in [Theme::Light, Theme::Dark] {
        ctx.style_mut_of(theme, |style| adjust(&mut style.visuals));
    }
}

/// The WCAG contrast ratio of two opaque colours, from 1 (same) to 21 (black on white).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    fn channel(c: u8) -> f32 {
        let c = f32::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    let luminance =
        |c: Color32| 0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b());
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AA: f32 = 4.5;

    /// `color` drawn over `background`, as egui blends (premultiplied, in gamma space).
    fn over(color: Color32, background: Color32) -> Color32 {
        let a = f32::from(color.a()) / 255.0;
        let mix = |c: u8, b: u8| (f32::from(c) + f32::from(b) * (1.0 - a)).round() as u8;
        Color32::from_rgb(
            mix(color.r(), background.r()),
            mix(color.g(), background.g()),
            mix(color.b(), background.b()),
        )
    }

    fn themes() -> [(&'static str, Visuals); 2] {
        let mut light = Visuals::light();
        adjust(&mut light);
        let mut dark = Visuals::dark();
        adjust(&mut dark);
        [("light", light), ("dark", dark)]
    }

    /// Every colour the window writes text in, by name.
    fn text_colours(visuals: &Visuals) -> Vec<(&'static str, Color32)> {
        let p = palette(visuals);
        vec![
            ("text", visuals.text_color()),
            ("weak text", visuals.weak_text_color()),
            ("strong text", visuals.strong_text_color()),
            ("error", visuals.error_fg_color),
            ("warning", visuals.warn_fg_color),
            ("link", visuals.hyperlink_color),
            ("green", p.green),
            ("amber", p.amber),
            ("orange", p.orange),
            ("red", p.red),
            ("grey", p.grey),
        ]
    }

    #[test]
    fn every_text_colour_reads_at_aa_on_the_panels_of_its_theme() {
        let mut failures = Vec::new();
        for (theme, visuals) in themes() {
            // The panels, popups, the Profile box's faint fill, and each tinted banner
            // (widgets::banner: the colour at 12 % over the panel).
            let mut backgrounds = vec![
                ("panel", visuals.panel_fill),
                ("popup", visuals.window_fill),
                (
                    "profile box",
                    over(visuals.faint_bg_color, visuals.panel_fill),
                ),
            ];
            let p = palette(&visuals);
            let banners = [
                ("green banner", p.green),
                ("orange banner", p.orange),
                ("error banner", visuals.error_fg_color),
                ("warning banner", visuals.warn_fg_color),
            ];
            for (name, colour) in banners {
                backgrounds.push((name, over(colour.gamma_multiply(0.12), visuals.panel_fill)));
            }
            for (name, colour) in text_colours(&visuals) {
                for (on, background) in &backgrounds {
                    let ratio = contrast(colour, *background);
                    if ratio < AA {
                        failures.push(format!("{theme}: {name} on {on}: {ratio:.2}"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
    }

    #[test]
    fn pills_and_filled_buttons_read_at_aa() {
        for (theme, visuals) in themes() {
            let p = palette(&visuals);
            for fill in [
                p.green,
                p.amber,
                p.orange,
                p.red,
                p.grey,
                visuals.error_fg_color,
                visuals.warn_fg_color,
            ] {
                let ratio = contrast(text_on(fill), fill);
                assert!(ratio >= AA, "{theme}: text on {fill:?}: {ratio:.2}");
            }
        }
        let ratio = contrast(Color32::WHITE, DEMO_FILL);
        assert!(ratio >= AA, "DEMO badge: {ratio:.2}");
    }

    #[test]
    fn the_ratio_is_the_wcag_one() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 0.001);
        // egui's light warning colour on its light panel: the failure this module fixes.
        let before = contrast(Color32::from_rgb(255, 100, 0), Color32::from_gray(248));
        assert!(before < 3.0, "{before}");
    }
}
