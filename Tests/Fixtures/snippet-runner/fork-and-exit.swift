// snippet.title: Starts 20 children and exits without waiting for them
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
print("children: " + pids.joined(separator: " "))
