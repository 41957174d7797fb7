//! Windows only: puts the app icon and the version information (from Cargo.toml) into the .exe,
//! where Explorer, the Start menu and the taskbar read them. Elsewhere it does nothing: Linux
//! launchers take the icon from the desktop entry, and the window sets its own at run time.

fn main() {
    // Without this, Cargo would rerun the script whenever any file of the package changes.
    println!("cargo:rerun-if-changed=build.rs");
    #[cfg(windows)]
    windows_resources();
}

/// Build scripts run on the host: only a Windows host has winresource (Cargo.toml), and the
/// resources go in only when the target is Windows too. Cross builds from Linux get none.
#[cfg(windows)]
fn windows_resources() {
    const ICON: &str = "assets/icons/io.github.cl_login_tester.ClLoginTester.ico";
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    println!("cargo:rerun-if-changed={ICON}");
    let mut resources = winresource::WindowsResource::new();
    resources
        .set_icon(ICON)
        // Windows shows FileDescription as the program's name (Task Manager, "Open with").
        .set("FileDescription", "CL Login Tester")
        .set("ProductName", "CL Login Tester")
        .set("OriginalFilename", "cl-login-tester.exe");
    if let Err(e) = resources.compile() {
        // A release without its icon and version is a broken release: stop the build.
        eprintln!("error: could not embed the Windows resources ({ICON}): {e}");
        std::process::exit(1);
    }
}
