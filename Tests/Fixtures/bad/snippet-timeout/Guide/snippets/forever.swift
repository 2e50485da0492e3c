// snippet.title: Forever
// snippet.timeout: 2
import Foundation

while true { usleep(1000) }
