import Foundation
import Hummingbird
import NIOCore

/// The web chat's page, script, style and pictures, compiled into the binary from
/// WebChat/Assets (`embedInCode` in Package.swift): no CDN, no files beside the binary.
struct WebChatAssets: Sendable {
    let bytes: [UInt8]
    let contentType: String

    static let page = WebChatAssets(bytes: PackageResources.index_html, contentType: "text/html; charset=utf-8")
    static let script = WebChatAssets(bytes: PackageResources.chat_js, contentType: "text/javascript; charset=utf-8")
    static let style = WebChatAssets(bytes: PackageResources.chat_css, contentType: "text/css; charset=utf-8")
    static let icon = WebChatAssets(bytes: PackageResources.icon_svg, contentType: "image/svg+xml")
    /// Shown for a photo whose bytes the Sandbox never had (sent through the control API).
    static let missingPhoto = WebChatAssets(bytes: PackageResources.missing_photo_svg, contentType: "image/svg+xml")

    /// What `/web/assets/<name>` serves.
    static func named(_ name: String) -> WebChatAssets? {
        ["chat.js": script, "chat.css": style, "icon.svg": icon][name]
    }

    var response: Response {
        // The page may only run its own script and style: a text the bot sends can never
        // become markup that runs (the script also builds every node as text).
        let policy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'"
        return Response(status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store",
                                               .contentSecurityPolicy: policy],
                        body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
