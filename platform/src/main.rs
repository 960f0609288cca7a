use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    gongkai::cli::main().await
}
