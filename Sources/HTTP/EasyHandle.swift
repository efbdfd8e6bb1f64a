import CCurl

/// One libcurl easy handle, cleaned up when the last holder lets go: a request holds its
/// handle, so the handle cannot be cleaned up under a request that still points into it.
final class EasyHandle {
    let pointer: UnsafeMutableRawPointer

    /// nil when libcurl is out of memory.
    init?() {
        _ = curlGlobalInit
        guard let pointer = curl_easy_init() else { return nil }
        self.pointer = pointer
    }

    deinit { curl_easy_cleanup(pointer) }
}
