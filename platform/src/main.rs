use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    gongkai::app::cli::main().await
}
