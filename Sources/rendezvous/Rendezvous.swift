import RendezvousApp

/// The one-file entry point: everything else lives in the library modules.
@main extension RendezvousCommand {}
