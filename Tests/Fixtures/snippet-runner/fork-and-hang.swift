// snippet.title: Starts 20 children, then runs past its time limit
// snippet.timeout: 3
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

var pids: [String] = []
for _ in 0..<20 {
  var pid: pid_t = 0
  var argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("300"), nil]
  var envp: [UnsafeMutablePointer<CChar>?] = [nil]
  guard posix_spawn(&pid, "/bin/sleep", nil, nil, &argv, &envp) == 0 else { fatalError("posix_spawn failed") }
  pids.append(String(pid))
}
FileHandle.standardError.write(Data(("children: " + pids.joined(separator: " ") + "\n").utf8))
while true { sleep(1) }
