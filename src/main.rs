//! The `hearth` command: parse the command line, run, print, exit with 0, 1 or 2.

use std::process::ExitCode;

fn main() -> ExitCode {
    hearth::cli::main()
}
