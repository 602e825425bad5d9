import Foundation

/// The identity of a file on disk, so that an output can be compared with the inputs whatever path
/// names them: the same file by resolved path (symbolic links and `..` removed), or by device and
/// inode (hard links, bind mounts).
public struct FileIdentity: Hashable, Sendable {
    /// Absolute path with symbolic links resolved.
    public let resolvedPath: String
    /// Device and inode, when the file exists.
    public let device: UInt64?
    public let inode: UInt64?

    /// The identity of `path` (relative paths are taken from the current folder). A file that does not
    /// exist yet has a resolved path (of its existing parent) and no inode.
    public init(path: String) {
        let fm = FileManager.default
        let absolute = path.hasPrefix("/") ? path : (fm.currentDirectoryPath as NSString).appendingPathComponent(path)
        let standard = (absolute as NSString).standardizingPath
        var resolved = (standard as NSString).resolvingSymlinksInPath
        if !fm.fileExists(atPath: standard) {
            // Resolve the parent (which may be a link) and keep the name.
            let parent = ((standard as NSString).deletingLastPathComponent as NSString).resolvingSymlinksInPath
            resolved = (parent as NSString).appendingPathComponent((standard as NSString).lastPathComponent)
        }
        resolvedPath = resolved
        if let attrs = try? fm.attributesOfItem(atPath: standard),
           let dev = (attrs[.systemNumber] as? NSNumber)?.uint64Value,
           let ino = (attrs[.systemFileNumber] as? NSNumber)?.uint64Value {
            device = dev
            inode = ino
        } else {
            device = nil
            inode = nil
        }
    }

    /// Whether both name the same file: same resolved path, or same device and inode.
    public func sameFile(as other: FileIdentity) -> Bool {
        if resolvedPath == other.resolvedPath { return true }
        if let d = device, let i = inode, d == other.device, i == other.inode { return true }
        return false
    }

    /// Whether this path lies inside the folder `folder` (resolved paths).
    public func isInside(folder: FileIdentity) -> Bool {
        resolvedPath.hasPrefix(folder.resolvedPath.hasSuffix("/") ? folder.resolvedPath : folder.resolvedPath + "/")
    }
}
