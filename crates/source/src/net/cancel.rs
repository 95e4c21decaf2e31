//! Connections that give up when the scan is cancelled: waiting for input is cut into
//! short slices, and the token is checked between them, so a stalled server cannot keep a
//! cancelled scan alive until the request timeout.

use std::io;
use std::time::{Duration, Instant};

use assay_core::{Cancel, Cancelled};
use ureq::Error;
use ureq::unversioned::transport::time::Duration as Wait;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, DefaultConnector, NextTimeout, Transport,
};

/// Longest wait for input between two looks at the token.
const SLICE: Duration = Duration::from_millis(100);

/// The error a cancelled connection fails with (see [`is_cancelled`]).
pub(super) fn cancelled() -> io::Error {
    io::Error::other(Cancelled)
}

/// Whether an I/O error is the one [`cancelled`] makes.
pub(super) fn is_cancelled(error: &io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|e| e.downcast_ref::<Cancelled>().is_some())
}

/// The default connector (TCP, proxies, TLS) with every connection it makes wrapped in a
/// [`CancellableTransport`].
#[derive(Debug)]
pub(super) struct CancellableConnector {
    inner: DefaultConnector,
    cancel: Cancel,
}

impl CancellableConnector {
    /// Connections that stop waiting once `cancel` is set.
    pub fn new(cancel: Cancel) -> CancellableConnector {
        CancellableConnector {
            inner: DefaultConnector::new(),
            cancel,
        }
    }
}

impl Connector<()> for CancellableConnector {
    type Out = CancellableTransport;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<CancellableTransport>, Error> {
        if self.cancel.is_cancelled() {
            return Err(Error::Io(cancelled()));
        }
        let transport = self.inner.connect(details, chained)?;
        Ok(transport.map(|inner| CancellableTransport {
            inner,
            cancel: self.cancel.clone(),
        }))
    }
}

/// A connection whose reads wait at most [`SLICE`] at a time, failing with [`cancelled`]
/// once the token is set.
#[derive(Debug)]
pub(super) struct CancellableTransport {
    inner: Box<dyn Transport>,
    cancel: Cancel,
}

impl Transport for CancellableTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        if self.cancel.is_cancelled() {
            return Err(Error::Io(cancelled()));
        }
        self.inner.transmit_output(amount, timeout)
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        let mut left = timeout.after;
        loop {
            if self.cancel.is_cancelled() {
                return Err(Error::Io(cancelled()));
            }
            let slice = NextTimeout {
                after: left.min(Wait::Exact(SLICE)),
                ..timeout
            };
            let started = Instant::now();
            match self.inner.await_input(slice) {
                // Only the slice ran out: look at the token, then wait on.
                Err(Error::Timeout(reason)) if reason == timeout.reason && left > slice.after => {
                    left = match left {
                        Wait::Exact(d) => Wait::Exact(d.saturating_sub(started.elapsed())),
                        Wait::NotHappening => Wait::NotHappening,
                    };
                }
                other => return other,
            }
        }
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}
