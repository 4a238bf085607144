import Foundation

public struct ShellResult: Sendable {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: String
    public var output: String { String(decoding: stdout, as: UTF8.self) }
}

public enum ShellError: Error, CustomStringConvertible {
    case failed(command: [String], status: Int32, stderr: String)
    public var description: String {
        switch self {
        case let .failed(command, status, stderr): "\(command.joined(separator: " ")) exited \(status): \(stderr)"
        }
    }
}

/// Runs a program and collects its output. For tests only: product code never starts processes.
public func run(
    _ arguments: [String], in directory: String, environment: [String: String]? = nil, stdin: [UInt8]? = nil
) throws -> ShellResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
    try? input.fileHandleForWriting.close()
    // Read both pipes concurrently so a large stderr cannot block a large stdout.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ShellResult(status: process.terminationStatus, stdout: Array(outData), stderr: String(decoding: errData, as: UTF8.self))
}
