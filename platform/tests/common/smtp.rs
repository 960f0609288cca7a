//! A small SMTP server on tokio for the outbox tests: it speaks real SMTP over TCP (so
//! lettre talks to it as to any relay), keeps what it received, and can be told to
//! refuse recipients permanently (550) or for now (451), or be stopped and restarted on
//! the same port.

#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use base64::Engine;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Accept,
    RejectPermanent,
    RejectTransient,
}

#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// Subject and every base64 body decoded, for assertions on Chinese text.
    pub fn decoded(&self) -> String {
        let mut out = String::new();
        for line in self.data.lines() {
            if let Some(rest) = line.strip_prefix("Subject: ") {
                out.push_str(&decode_words(rest));
                out.push('\n');
            }
        }
        for block in self.data.split("\r\n\r\n") {
            let text: String = block
                .lines()
                .take_while(|l| !l.starts_with("--"))
                .collect::<Vec<_>>()
                .join("");
            if text.is_empty() {
                continue;
            }
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text.trim()) {
                if let Ok(s) = String::from_utf8(bytes) {
                    out.push_str(&s);
                    out.push('\n');
                }
            }
        }
        out.push_str(&self.data);
        out
    }
}

fn decode_words(text: &str) -> String {
    let mut out = String::new();
    for word in text.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
            let inner = &word[10..word.len() - 2];
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(inner) {
                out.push_str(&String::from_utf8_lossy(&bytes));
                continue;
            }
        }
        out.push_str(word);
        out.push(' ');
    }
    out
}

#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub mode: Arc<Mutex<Mode>>,
    stop: Arc<Mutex<Option<tokio::sync::oneshot::Sender<()>>>>,
}

impl SmtpServer {
    /// A port nobody listens on yet (the server is "down").
    pub async fn reserve() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        SmtpServer {
            port,
            received: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Accept)),
            stop: Arc::default(),
        }
    }

    pub async fn start() -> SmtpServer {
        let server = Self::reserve().await;
        server.up().await;
        server
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Starts listening on the server's port.
    pub async fn up(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        *self.stop.lock().unwrap() = Some(tx);
        let server = self.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = &mut rx => break,
                    accepted = listener.accept() => {
                        let Ok((socket, _)) = accepted else { break };
                        let server = server.clone();
                        tokio::spawn(async move { let _ = server.session(socket).await; });
                    }
                }
            }
        });
    }

    /// Stops listening (connections are refused).
    pub fn down(&self) {
        if let Some(tx) = self.stop.lock().unwrap().take() {
            let _ = tx.send(());
        }
    }

    async fn session(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 test.smtp ESMTP\r\n").await?;
        let mut from = String::new();
        let mut to = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_string();
            let upper = cmd.to_ascii_uppercase();
            let mode = *self.mode.lock().unwrap();
            if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                write
                    .write_all(b"250-test.smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    .await?;
            } else if upper.starts_with("MAIL FROM:") {
                if mode == Mode::RejectTransient {
                    write.write_all(b"451 4.3.0 try again later\r\n").await?;
                } else {
                    from = cmd[10..].trim().to_string();
                    to.clear();
                    write.write_all(b"250 OK\r\n").await?;
                }
            } else if upper.starts_with("RCPT TO:") {
                if mode == Mode::RejectPermanent {
                    write.write_all(b"550 5.1.1 no such user\r\n").await?;
                } else {
                    to.push(
                        cmd[8..]
                            .trim()
                            .trim_matches(|c| c == '<' || c == '>')
                            .to_string(),
                    );
                    write.write_all(b"250 OK\r\n").await?;
                }
            } else if upper == "DATA" {
                write.write_all(b"354 end with .\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(
                        line.strip_prefix('.')
                            .filter(|_| line.starts_with(".."))
                            .unwrap_or(&line),
                    );
                }
                self.received.lock().unwrap().push(Received {
                    from: from.clone(),
                    to: to.clone(),
                    data,
                });
                write.write_all(b"250 OK queued\r\n").await?;
            } else if upper == "QUIT" {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                write.write_all(b"250 OK\r\n").await?;
            }
        }
    }
}
