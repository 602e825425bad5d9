import PlaceRiskCLI
import PlaceRiskCore
/// Writes all of `s` to a file descriptor (1 = stdout, 2 = stderr).
func emit(_ s: String, to fd: Int32) {
    var s = s
    s.withUTF8 { buf in
        var off = 0
        while off < buf.count {
            let n = write(fd, buf.baseAddress! + off, buf.count - off)
            if n <= 0 { break }
            off += n
        }
    }
}

// Thin entry point: everything lives in PlaceRiskCLI (tested in-process).
let io = CLIOutput(out: { emit($0, to: 1) }, err: { emit($0, to: 2) })
exit(PlaceRiskCLI.run(Array(CommandLine.arguments.dropFirst()), io: io))
