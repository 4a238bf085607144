import CBrotli
import CZlib
import Dispatch
import Foundation
import GatehouseCore

/// Measures the files of size budgets in the work tree: raw, gzip or brotli, as a web server
/// would send each file.
///
/// Files stream through the compressors in fixed chunks, so a large bundle never sits in memory
/// whole, and only the compressed byte count is kept. Files are measured in parallel: brotli at
/// quality 11 runs at a few MB/s, and budgets usually cover many files.
public enum SizeMeasurer {
    /// Expands each budget's globs from `root` (the work tree, ending in "/") and measures what
    /// they match. A budget whose globs match nothing is returned with no files.
    public static func measure(_ budgets: [SizeSettings.Budget], root: String) throws(GatehouseError) -> [BudgetMeasurement] {
        let base = root.hasSuffix("/") ? root : root + "/"
        var matched: [[String]] = []
        var jobs: [Job] = []
        var jobIndex: [Job: Int] = [:]
        for budget in budgets {
            let files = try ReportFinder.expand(budget.files, root: base).found
            matched.append(files)
            for file in files {
                let job = Job(path: file, compression: budget.compression)
                if jobIndex[job] == nil {
                    jobIndex[job] = jobs.count
                    jobs.append(job)
                }
            }
        }
        let sizes = try measureAll(jobs, root: base)
        return zip(budgets, matched).map { budget, files in
            BudgetMeasurement(
                name: budget.name, compression: budget.compression,
                files: files.map { file in
                    let shown = file.hasPrefix(base) ? String(file.dropFirst(base.count)) : file
                    return BudgetMeasurement.File(path: shown, size: sizes[jobIndex[Job(path: file, compression: budget.compression)]!])
                }.sorted { $0.path < $1.path })
        }
    }

    struct Job: Hashable {
        var path: String
        var compression: SizeSettings.Compression
    }

    /// Results written by worker threads, each to its own index.
    private final class Results: @unchecked Sendable {
        let lock = NSLock()
        var sizes: [Int]
        var firstError: GatehouseError?

        init(count: Int) { sizes = Array(repeating: 0, count: count) }
    }

    private static func measureAll(_ jobs: [Job], root: String) throws(GatehouseError) -> [Int] {
        let results = Results(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            let job = jobs[index]
            do throws(GatehouseError) {
                let size = try size(
                    ofFile: job.path, compression: job.compression,
                    displayPath: job.path.hasPrefix(root) ? String(job.path.dropFirst(root.count)) : job.path, root: root)
                results.lock.withLock { results.sizes[index] = size }
            } catch {
                results.lock.withLock { if results.firstError == nil { results.firstError = error } }
            }
        }
        if let error = results.firstError { throw error }
        return results.sizes
    }

    static let chunkSize = 1 << 18

    /// The size of one file after `compression`. With `root`, the file must resolve inside it:
    /// checked on the open descriptor, so a link swapped in after the globs were expanded is
    /// refused too (a committed `dist/app.js -> /etc/shadow` would tell its size to the log).
    public static func size(
        ofFile path: String, compression: SizeSettings.Compression, displayPath: String? = nil, root: String? = nil
    ) throws(GatehouseError) -> Int {
        let shown = displayPath ?? path
        // Non-blocking: a FIFO put in place of a file must not hang the open.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw GatehouseError(.unreadableFile, "cannot read \(shown) to measure its size: \(reason). Check its permissions.", at: SourceLocation(file: shown))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw GatehouseError(.unreadableFile, "cannot read \(shown) to measure its size. Check its permissions.", at: SourceLocation(file: shown))
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw GatehouseError(.invalidConfig, "\(shown) is not a regular file, so it has no size to measure. Check the size budget's globs.", at: SourceLocation(file: shown))
        }
        if let root, let resolved = RepositoryBounds.resolved(descriptor: descriptor), !RepositoryBounds.contains(root: root, resolvedPath: resolved) {
            throw GatehouseError(
                .invalidConfig,
                "a symbolic link leads \(shown) outside the repository; a size budget measures only files inside it. "
                    + "Remove the symbolic link, or build the file into the repository.",
                at: SourceLocation(file: shown))
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        if compression == .none { return Int(status.st_size) }
        var compressor: any Compressor = compression == .gzip ? try GzipCounter() : try BrotliCounter(sizeHint: Int(status.st_size))
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunkSize) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                throw GatehouseError(.unreadableFile, "cannot read \(shown) to measure its size: \(reason).", at: SourceLocation(file: shown))
            }
            if count == 0 { break }
            try buffer.withUnsafeBufferPointer { chunk throws(GatehouseError) in
                try compressor.feed(UnsafeBufferPointer(rebasing: chunk[..<count]))
            }
        }
        return try compressor.finish()
    }

    /// The size of `bytes` after `compression`.
    public static func size(of bytes: [UInt8], compression: SizeSettings.Compression) throws(GatehouseError) -> Int {
        if compression == .none { return bytes.count }
        var compressor: any Compressor = compression == .gzip ? try GzipCounter() : try BrotliCounter(sizeHint: bytes.count)
        try bytes.withUnsafeBufferPointer { buffer throws(GatehouseError) in try compressor.feed(buffer) }
        return try compressor.finish()
    }
}

/// A streaming compressor that keeps only the number of bytes it produced.
protocol Compressor {
    mutating func feed(_ input: UnsafeBufferPointer<UInt8>) throws(GatehouseError)
    mutating func finish() throws(GatehouseError) -> Int
}

/// gzip through zlib at level 9: gzip-size's (and so size-limit's and bundlewatch's) measure.
final class GzipCounter: Compressor {
    private var stream = z_stream()
    private var output = [UInt8](repeating: 0, count: SizeMeasurer.chunkSize)
    private var produced = 0

    init() throws(GatehouseError) {
        guard gatehouse_deflate_init_gzip(&stream, 9) == Z_OK else {
            throw GatehouseError(.invalidArgument, "zlib could not start a gzip stream (out of memory?).")
        }
    }

    deinit { deflateEnd(&stream) }

    func feed(_ input: UnsafeBufferPointer<UInt8>) throws(GatehouseError) {
        try run(input, flush: Z_NO_FLUSH)
    }

    func finish() throws(GatehouseError) -> Int {
        try run(UnsafeBufferPointer(start: nil, count: 0), flush: Z_FINISH)
        return produced
    }

    private func run(_ input: UnsafeBufferPointer<UInt8>, flush: Int32) throws(GatehouseError) {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = UInt32(input.count)
        let capacity = output.count
        var result: Int32 = Z_OK
        repeat {
            result = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(capacity)
                let code = deflate(&stream, flush)
                produced += capacity - Int(stream.avail_out)
                return code
            }
            guard result == Z_OK || result == Z_STREAM_END || result == Z_BUF_ERROR else {
                throw GatehouseError(.invalidArgument, "zlib failed while measuring a gzip size (error \(result)).")
            }
        } while flush == Z_FINISH ? result != Z_STREAM_END : stream.avail_out == 0
    }
}

/// Brotli through Debian's libbrotli at quality 11 and a 22-bit window: the defaults of Node's
/// zlib and of the `brotli` command line, which size-limit and web servers' static compression use.
final class BrotliCounter: Compressor {
    private let state: OpaquePointer
    private var output = [UInt8](repeating: 0, count: SizeMeasurer.chunkSize)
    private var produced = 0

    init(sizeHint: Int) throws(GatehouseError) {
        guard let state = BrotliEncoderCreateInstance(nil, nil, nil) else {
            throw GatehouseError(.invalidArgument, "libbrotli could not start an encoder (out of memory?).")
        }
        self.state = state
        BrotliEncoderSetParameter(state, BROTLI_PARAM_QUALITY, 11)
        BrotliEncoderSetParameter(state, BROTLI_PARAM_LGWIN, 22)
        // The brotli tool tells the encoder the input's size, capped at 1 GiB; so do we, so that
        // the same file gives the same bytes.
        if sizeHint > 0 { BrotliEncoderSetParameter(state, BROTLI_PARAM_SIZE_HINT, UInt32(min(sizeHint, 1 << 30))) }
    }

    deinit { BrotliEncoderDestroyInstance(state) }

    func feed(_ input: UnsafeBufferPointer<UInt8>) throws(GatehouseError) {
        try run(input, operation: BROTLI_OPERATION_PROCESS)
    }

    func finish() throws(GatehouseError) -> Int {
        try run(UnsafeBufferPointer(start: nil, count: 0), operation: BROTLI_OPERATION_FINISH)
        return produced
    }

    private func run(_ input: UnsafeBufferPointer<UInt8>, operation: BrotliEncoderOperation) throws(GatehouseError) {
        var availableIn = input.count
        var nextIn = input.baseAddress
        let capacity = output.count
        while true {
            let ok = output.withUnsafeMutableBufferPointer { out in
                var availableOut = capacity
                var nextOut = out.baseAddress
                let ok = BrotliEncoderCompressStream(state, operation, &availableIn, &nextIn, &availableOut, &nextOut, nil)
                produced += capacity - availableOut
                return ok
            }
            guard ok != 0 else {
                throw GatehouseError(.invalidArgument, "libbrotli failed while measuring a brotli size.")
            }
            if operation == BROTLI_OPERATION_FINISH {
                if BrotliEncoderIsFinished(state) != 0 { return }
            } else if availableIn == 0 && BrotliEncoderHasMoreOutput(state) == 0 {
                return
            }
        }
    }
}

extension SizeMeasurer {
    /// The zlib and brotli this process runs with (the libraries' own answers), for
    /// `gatehouse --version`.
    public static var libraryVersions: (zlib: String, brotli: String) {
        let brotli = BrotliEncoderVersion()
        return (String(cString: zlibVersion()), "\(brotli >> 24).\((brotli >> 12) & 0xFFF).\(brotli & 0xFFF)")
    }
}
