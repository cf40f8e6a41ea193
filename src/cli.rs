//! The command line (SPEC §4): one args struct per command, each with `run`.
//!
//! Exit codes: 0 success, 1 the site has errors, 2 bad command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::{Diagnostics, Severity};
use crate::{BuildError, BuildOptions};

pub const EXIT_SITE_ERRORS: u8 = 1;
pub const EXIT_USAGE: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "hearth",
    version,
    about = "A static site generator for online communities"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into its output folder
    Build(BuildArgs),
    /// Preview the site with drafts, rebuilding and reloading on every edit
    Serve(ServeArgs),
    /// Validate the site, its links and anchors (and with --external, outside links)
    Check(CheckArgs),
    /// The community health report: members, spotlights, curation, events, guidelines
    Report(ReportArgs),
    /// Print one community digest (the latest complete period by default) for a mailer
    Digest(DigestArgs),
    /// Start a new site in DIR (default: the current folder)
    Init(InitArgs),
    /// Add a member, a page or a curated link to the site in the current folder
    New(NewArgs),
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewWhat,
}

#[derive(Subcommand, Debug)]
pub enum NewWhat {
    /// members/HANDLE.md, with the site's welcome questions as prompts
    Member { handle: String },
    /// content/PATH.md, dated today, as a draft
    Page { path: String },
    /// A new entry at the end of links/links.yaml
    Link { url: String },
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// The site folder (holding site.yaml)
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Output folder (default: site.yaml's `output`, usually public/)
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Publish under this URL instead of site.yaml's base_url
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Build drafts too
    #[arg(long)]
    pub drafts: bool,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The site folder (holding site.yaml)
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Port to listen on (the next free one is used when it is taken; 0: any)
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; anything but loopback makes the preview public
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in a browser
    #[arg(long)]
    pub open: bool,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The site folder (holding site.yaml)
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// Also fetch every outside link (curated, member and page links)
    #[arg(long)]
    pub external: bool,
    /// With --external: also fetch loopback, private and link-local addresses
    #[arg(long, requires = "external")]
    pub allow_private: bool,
    /// How to report: for people, JSON lines for tools, or GitHub annotations
    #[arg(long, value_enum, default_value = "human")]
    pub format: crate::check::report::Format,
    /// Treat warnings as errors
    #[arg(long)]
    pub strict: bool,
}

/// The build date (`SOURCE_DATE_EPOCH`), once the site folder is known to be
/// one; else the exit code of a bad command line.
fn now_for(site: &std::path::Path) -> Result<crate::model::Date, ExitCode> {
    let now = crate::now_from_env().map_err(|e| usage_error(&e))?;
    if !site.is_dir() {
        return Err(usage_error(&format!("{} is not a folder", site.display())));
    }
    Ok(now)
}

/// Prints `text`, or writes it to `file` (`-o`) and says so, naming `what`.
fn print_or_write(
    site: &std::path::Path,
    file: Option<&std::path::Path>,
    text: &str,
    what: &str,
) -> ExitCode {
    match file {
        Some(file) => match crate::output::write_requested_file(site, file, text.as_bytes()) {
            Ok(()) => {
                eprintln!("Wrote {what} to {}", file.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(EXIT_SITE_ERRORS)
            }
        },
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct DigestArgs {
    /// The site folder (holding site.yaml)
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// `latest` (the latest complete period with something in it), a week
    /// (`2026-w48`) or a month (`2026-11`)
    #[arg(long, default_value = "latest")]
    pub period: String,
    /// The email body, its plain text, or its web page
    #[arg(long, value_enum, default_value = "email")]
    pub format: crate::render::DigestKind,
    /// Write the digest to FILE instead of printing it
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl DigestArgs {
    pub fn run(&self) -> ExitCode {
        let now = match now_for(&self.site) {
            Ok(n) => n,
            Err(code) => return code,
        };
        let period = match self.period.as_str() {
            "latest" => None,
            slug => match crate::digest::Period::parse(slug) {
                Some(p) => Some(p),
                None => {
                    return usage_error(&format!(
                    "--period {slug}: give `latest`, a week as `2026-w48` or a month as `2026-11`"
                ))
                }
            },
        };
        let load_opts = crate::load::LoadOptions {
            drafts: false,
            base_url: None,
            now,
        };
        let built = match crate::load_site(&self.site, &load_opts) {
            Ok(b) => b,
            Err(diags) => {
                print_diagnostics(&diags);
                eprintln!(
                    "error: the site has {}; fix them for a digest",
                    plural(diags.count(Severity::Error), "error")
                );
                return ExitCode::from(EXIT_SITE_ERRORS);
            }
        };
        let made = crate::render::one_digest(
            &built.site,
            &built.templates,
            &built.plan,
            period,
            self.format,
        );
        let (period, text) = match made {
            Ok(m) => m,
            Err(why) => {
                eprintln!("error: {why}");
                return ExitCode::from(EXIT_SITE_ERRORS);
            }
        };
        let what = format!("the digest of {}", period.slug());
        print_or_write(&self.site, self.output.as_deref(), &text, &what)
    }
}

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// The site folder (holding site.yaml)
    #[arg(default_value = ".")]
    pub site: PathBuf,
    /// A summary with what to do next, one JSON object, or a page with charts
    #[arg(long, value_enum, default_value = "human")]
    pub format: crate::report::Format,
    /// Write the report to FILE instead of printing it
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl ReportArgs {
    pub fn run(&self) -> ExitCode {
        let now = match now_for(&self.site) {
            Ok(n) => n,
            Err(code) => return code,
        };
        let opts = crate::report::ReportOptions {
            site: self.site.clone(),
            format: self.format,
            now,
        };
        match crate::report::run(&opts) {
            Ok(text) => print_or_write(&self.site, self.output.as_deref(), &text, "the report"),
            Err(diags) => {
                print_diagnostics(&diags);
                eprintln!(
                    "error: the site has {}; fix them for a report",
                    plural(diags.count(Severity::Error), "error")
                );
                ExitCode::from(EXIT_SITE_ERRORS)
            }
        }
    }
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Build(args) => args.run(),
        Command::Serve(args) => args.run(),
        Command::Check(args) => args.run(),
        Command::Report(args) => args.run(),
        Command::Digest(args) => args.run(),
        Command::Init(args) => args.run(),
        Command::New(args) => args.run(),
    }
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints every diagnostic, errors first, then a count.
pub fn print_diagnostics(diags: &Diagnostics) {
    let color = color();
    for sev in [Severity::Error, Severity::Warning] {
        for d in diags.items.iter().filter(|d| d.severity == sev) {
            eprint!("{}", d.render(color));
        }
    }
}

pub fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

impl BuildArgs {
    pub fn run(&self) -> ExitCode {
        let now = match crate::now_from_env() {
            Ok(n) => n,
            Err(e) => return usage_error(&e),
        };
        let opts = BuildOptions {
            site: self.site.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            strict: self.strict,
            now,
        };
        match crate::build(&opts) {
            Ok(report) => {
                print_diagnostics(&report.diagnostics);
                let warnings = report.diagnostics.count(Severity::Warning);
                let (cards, pictures) = (report.cards, report.pictures);
                let made_note = |what: String, verb: &str, made: usize, cached: usize| {
                    if made + cached > 0 {
                        format!(", {what} ({made} {verb}, {cached} from cache)")
                    } else {
                        String::new()
                    }
                };
                let card_note = made_note(
                    plural(cards.rendered + cards.cached, "card"),
                    "rendered",
                    cards.rendered,
                    cards.cached,
                );
                let picture_note = made_note(
                    format!(
                        "{} of pictures",
                        plural(pictures.made + pictures.cached, "file")
                    ),
                    "made",
                    pictures.made,
                    pictures.cached,
                );
                let search_note = match report.search {
                    Some(s) => format!(
                        ", search over {}{}",
                        plural(s.records, "record"),
                        if s.from_cache { " from cache" } else { "" }
                    ),
                    None => String::new(),
                };
                eprintln!(
                    "Built {} ({}{card_note}{picture_note}{search_note}) into {} in {} ms{}",
                    plural(report.pages, "page"),
                    plural(report.files, "file"),
                    report.output.display(),
                    report.elapsed.as_millis(),
                    if warnings > 0 {
                        format!(", {}", plural(warnings, "warning"))
                    } else {
                        String::new()
                    }
                );
                for note in &report.notes {
                    eprintln!("note: {note}");
                }
                ExitCode::SUCCESS
            }
            Err(BuildError::Usage(msg)) => usage_error(&msg),
            Err(BuildError::Site(diags)) => {
                print_diagnostics(&diags);
                eprintln!(
                    "error: the build failed with {}; the previous output was left as it was",
                    plural(diags.count(Severity::Error), "error")
                );
                ExitCode::from(EXIT_SITE_ERRORS)
            }
        }
    }
}

impl InitArgs {
    pub fn run(&self) -> ExitCode {
        let today = match crate::now_from_env() {
            Ok(n) => n,
            Err(e) => return usage_error(&e),
        };
        match crate::scaffold::init(&self.dir, &today) {
            Ok(written) => {
                for f in &written {
                    eprintln!("  created {}", f.display());
                }
                eprintln!(
                    "\nA new site is ready in {}. Next:\n  hearth build {}\n",
                    self.dir.display(),
                    self.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(msg) => {
                eprintln!("error: {msg}");
                ExitCode::from(EXIT_SITE_ERRORS)
            }
        }
    }
}

impl NewArgs {
    pub fn run(&self) -> ExitCode {
        use crate::scaffold::{self, NewError};
        let today = match crate::now_from_env() {
            Ok(n) => n,
            Err(e) => return usage_error(&e),
        };
        let site = std::path::Path::new(".");
        let config = match crate::load::config(site) {
            Ok((c, _)) => c,
            Err(ds) => {
                print_diagnostics(&Diagnostics { items: ds });
                eprintln!("error: hearth new runs in a site folder (one with a valid site.yaml)");
                return ExitCode::from(EXIT_SITE_ERRORS);
            }
        };
        let result = match &self.what {
            NewWhat::Member { handle } => scaffold::new_member(site, &config, handle, &today)
                .map(|p| format!("created {}: fill in the name, answers and bio", p.display())),
            NewWhat::Page { path } => scaffold::new_page(site, &config, path, &today).map(|p| {
                format!(
                    "created {} (a draft: remove `draft: true` to publish)",
                    p.display()
                )
            }),
            NewWhat::Link { url } => {
                let known = crate::load::links::known_urls(site);
                scaffold::new_link(site, url, &today, &known).map(|(p, line)| {
                    format!(
                        "added {url} to {}:{line}: write its title and your note",
                        p.display()
                    )
                })
            }
        };
        match result {
            Ok(msg) => {
                eprintln!("{msg}");
                ExitCode::SUCCESS
            }
            Err(NewError::Usage(msg)) => usage_error(&msg),
            Err(NewError::Site(msg)) => {
                eprintln!("error: {msg}");
                ExitCode::from(EXIT_SITE_ERRORS)
            }
        }
    }
}

impl ServeArgs {
    pub fn run(&self) -> ExitCode {
        let now = match crate::now_from_env() {
            Ok(n) => n,
            Err(e) => return usage_error(&e),
        };
        let opts = crate::serve::ServeOptions {
            site: self.site.clone(),
            port: self.port,
            bind: self.bind,
            open: self.open,
            now,
        };
        match crate::serve::run(&opts) {
            Ok(()) => ExitCode::SUCCESS,
            Err(crate::serve::ServeError::Usage(msg)) => usage_error(&msg),
            Err(crate::serve::ServeError::Io(msg)) => {
                eprintln!("error: {msg}");
                ExitCode::from(EXIT_SITE_ERRORS)
            }
        }
    }
}

impl CheckArgs {
    pub fn run(&self) -> ExitCode {
        use crate::check::report::{self, Format};
        let now = match crate::now_from_env() {
            Ok(n) => n,
            Err(e) => return usage_error(&e),
        };
        let opts = crate::check::CheckOptions {
            site: self.site.clone(),
            external: self
                .external
                .then(|| crate::check::external::Policy::new(self.allow_private)),
            strict: self.strict,
            now,
        };
        let findings = match crate::check::run(&opts) {
            Ok(f) => f,
            Err(msg) => return usage_error(&msg),
        };
        let diags = &findings.diagnostics;
        match self.format {
            Format::Human => {
                print_diagnostics(diags);
                for n in &findings.notes {
                    eprintln!("note: {n}");
                }
                let (e, w) = (diags.count(Severity::Error), diags.count(Severity::Warning));
                if e == 0 && w == 0 {
                    eprintln!("check: no problems found");
                } else {
                    eprintln!("check: {} and {}", plural(e, "error"), plural(w, "warning"));
                }
            }
            Format::Json => print!("{}", report::json(&diags.items, &findings.notes)),
            Format::Github => print!("{}", report::github(&diags.items, &findings.notes)),
        }
        if diags.has_errors() {
            ExitCode::from(EXIT_SITE_ERRORS)
        } else {
            ExitCode::SUCCESS
        }
    }
}
