import PlaceRiskCore
import PlaceRiskIO
import Foundation

/// The plain-words text of any error a command can meet: the message of PlaceRisk's own errors
/// (file, line and column for data errors; no `:0:0` for whole-file errors), the system's sentence for
/// file-system errors — never a Swift type name.
func plainDescription(_ error: any Error) -> String {
    switch error {
    case let e as UsageError: return e.message
    case let e as RuntimeError: return e.message
    case let e as CSVError: return e.description
    case let e as GridError: return e.description
    case let e as RegressionError: return e.description
    case let e as PanelError: return e.description
    case let e as CocoaError:
        if let path = e.userInfo[NSFilePathErrorKey] as? String {
            switch e.code {
            case .fileNoSuchFile, .fileReadNoSuchFile: return "\(path): no such file or folder"
            case .fileWriteNoPermission, .fileReadNoPermission: return "\(path): permission denied"
            case .fileWriteOutOfSpace: return "\(path): the disk is full"
            default: break
            }
        }
        return e.localizedDescription
    case let e as any CustomStringConvertible:
        let text = e.description
        return text
    default:
        return (error as NSError).localizedDescription
    }
}

extension RuntimeError: CustomStringConvertible {
    public var description: String { message }
}

extension UsageError: CustomStringConvertible {
    public var description: String { message }
}
