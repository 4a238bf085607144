import Foundation

/// A report, opened once and read once, front to back, from one descriptor.
///
/// Detection looks at the first bytes (`peek`) and the parser then reads from the start (`read`)
/// without opening the path again: a pipe (`--coverage /dev/stdin`, `<(...)`) gives its bytes
/// once, so reopening it lost what detection had read (4 KiB of an LCOV report, which turned a
/// failing verdict into a passing one), and a path reopened later may no longer be the file
/// that was checked.
///
/// The path is opened non-blocking, so a FIFO nobody writes to does not hang the open; reads
/// of anything but a regular file (pipes, FIFOs, terminals, sockets) wait for data at most
/// `timeout` seconds at a time, then fail naming the path.
public final class InputSource {
    /// How long a read waits for a pipe's next bytes: 30 seconds, or `GATEHOUSE_INPUT_TIMEOUT`.
    public static var defaultTimeout: Double {
        if let text = ProcessInfo.processInfo.environment["GATEHOUSE_INPUT_TIMEOUT"], let seconds = Double(text), seconds > 0, seconds <= 86_400 {
            return seconds
        }
        return 30
    }

    public let displayPath: String
    /// What the input is, for messages: "coverage report", "lint report".
    public let what: String
    /// Where the path came from, for "check …": "coverage.reports, or --coverage".
    let origin: String
    public let isRegularFile: Bool
    /// The size of a regular file when opened; nil for a pipe.
    public let regularFileSize: Int?
    private let descriptor: Int32
    private let timeout: Double
    /// Bytes read ahead by `peek` and not yet handed to `read`.
    private var ahead: [UInt8] = []
    private var aheadStart = 0
    private var sawEnd = false

    public init(
        path: String, displayPath: String? = nil, what: String, origin: String, timeout: Double = InputSource.defaultTimeout
    ) throws(GatehouseError) {
        let shown = displayPath ?? path
        self.displayPath = shown
        self.what = what
        self.origin = origin
        self.timeout = timeout
        var fd: Int32
        repeat { fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) } while fd < 0 && errno == EINTR
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw GatehouseError(
                .unreadableFile, "cannot read the \(what) \(shown): \(reason). Check the path (\(origin)).", at: SourceLocation(file: shown))
        }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw GatehouseError(.unreadableFile, "cannot read the \(what) \(shown): \(reason).", at: SourceLocation(file: shown))
        }
        let type = status.st_mode & S_IFMT
        if type == S_IFDIR {
            close(fd)
            throw GatehouseError(
                .unreadableFile, "the \(what) \(shown) is a folder, not a file. Check the path (\(origin)).", at: SourceLocation(file: shown))
        }
        descriptor = fd
        isRegularFile = type == S_IFREG
        regularFileSize = isRegularFile ? Int(status.st_size) : nil
        if isRegularFile {
            // A regular file never blocks; its reads need no waiting.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        }
    }

    deinit {
        close(descriptor)
    }

    func error(_ kind: GatehouseError.Kind, _ message: String, line: Int? = nil) -> GatehouseError {
        GatehouseError(kind, message, at: SourceLocation(file: displayPath, line: line))
    }

    /// Up to `count` bytes from the start of the input (fewer at its end), read ahead without
    /// being consumed: `read` still begins with them.
    public func peek(_ count: Int) throws(GatehouseError) -> [UInt8] {
        if aheadStart > 0 {
            ahead.removeFirst(aheadStart)
            aheadStart = 0
        }
        if ahead.count < count, !sawEnd {
            let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
            defer { chunk.deallocate() }
            while ahead.count < count {
                let got = try readDescriptor(chunk.baseAddress!, count - ahead.count)
                if got == 0 { break }
                ahead.append(contentsOf: chunk[..<got])
            }
        }
        return Array(ahead.prefix(count))
    }

    /// Reads up to `count` bytes into `buffer`: what `peek` read ahead first, then the file.
    /// Returns 0 at the end of the input.
    public func read(into buffer: UnsafeMutableRawPointer, count: Int) throws(GatehouseError) -> Int {
        guard count > 0 else { return 0 }
        if aheadStart < ahead.count {
            let taken = Swift.min(count, ahead.count - aheadStart)
            ahead.withUnsafeBytes { bytes in
                buffer.copyMemory(from: bytes.baseAddress! + aheadStart, byteCount: taken)
            }
            aheadStart += taken
            if aheadStart == ahead.count {
                ahead = []
                aheadStart = 0
            }
            return taken
        }
        return try readDescriptor(buffer, count)
    }

    /// The rest of the input, refused past `limit` bytes (`advice` says what to do then).
    public func readAll(limit: Int, advice: String) throws(GatehouseError) -> [UInt8] {
        var bytes: [UInt8] = []
        if let size = regularFileSize {
            guard size <= limit else { throw tooLarge(limit, advice) }
            bytes.reserveCapacity(size + 1)
        }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let got = try read(into: chunk.baseAddress!, count: chunk.count)
            if got == 0 { return bytes }
            guard bytes.count + got <= limit else { throw tooLarge(limit, advice) }
            bytes.append(contentsOf: chunk[..<got])
        }
    }

    func tooLarge(_ limit: Int, _ advice: String) -> GatehouseError {
        error(.invalidReport, "the \(what) is larger than \(Self.describe(bytes: limit)), the most Gatehouse reads. \(advice)")
    }

    static func describe(bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB"
    }

    private func readDescriptor(_ buffer: UnsafeMutableRawPointer, _ count: Int) throws(GatehouseError) -> Int {
        if sawEnd { return 0 }
        while true {
            if !isRegularFile { try waitForData() }
            let got = Foundation.read(descriptor, buffer, count)
            if got > 0 { return got }
            if got == 0 {
                sawEnd = true
                return 0
            }
            if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
            let reason = String(cString: strerror(errno))
            throw error(.unreadableFile, "cannot read the \(what) \(displayPath): \(reason). Check that it is a readable file (\(origin)).")
        }
    }

    /// Waits until the pipe has bytes or its writer closed it. A FIFO opened by nobody for
    /// writing never becomes ready (a read would report its end at once, which is why the
    /// wait comes first), so the wait is bounded.
    private func waitForData() throws(GatehouseError) {
        var entry = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            let ready = remaining > 0 ? poll(&entry, 1, Int32(Swift.min(remaining * 1000, 1_000_000).rounded(.up))) : 0
            if ready > 0 { return }
            if ready < 0, errno == EINTR { continue }
            if ready < 0 {
                let reason = String(cString: strerror(errno))
                throw error(.unreadableFile, "cannot read the \(what) \(displayPath): \(reason).")
            }
            let seconds = timeout == timeout.rounded() ? "\(Int(timeout))" : "\(timeout)"
            throw error(
                .unreadableFile,
                "no data from the \(what) \(displayPath) for \(seconds) seconds: it is a pipe or FIFO that nothing is writing to. "
                    + "Start the program that writes it first, or have it write a file and give that file's path "
                    + "(GATEHOUSE_INPUT_TIMEOUT sets how many seconds to wait).")
        }
    }
}
