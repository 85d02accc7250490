// LINKTYPE_* values of pcap and pcapng files (tcpdump.org link-layer header types, also
// draft-ietf-opsawg-pcaplinktype). `name` is libpcap's short name (what tcpdump prints as
// "link-type EN10MB"); `description` is the text Wireshark 4.0 shows as the file encapsulation
// (read back from `capinfos` on a one-packet file of each type), and `wtapEncap` Wireshark's own
// encapsulation number (capinfos prints both: "Encapsulation = Ethernet (1 - ether)"). Types
// that Wireshark 4.0 refuses ("network type N unknown or unsupported") carry the registry's
// wording instead, and encapsulation 0.
//
// 12 and 14 are not registry values: they are DLT_RAW on OpenBSD/BSD/OS, found in old files,
// and both libpcap and Wireshark read them as raw IP, as we do.

export interface LinkTypeInfo {
  linktype: number;
  name: string;
  description: string;
  /** Wireshark's WTAP_ENCAP_* number for it (what tshark shows as frame.encap_type); 0 = unknown. */
  wtapEncap: number;
}

const TABLE: readonly (readonly [number, string, string, number])[] = [
  [0, 'NULL', 'NULL/Loopback', 15],
  [1, 'EN10MB', 'Ethernet', 1],
  [2, 'EN3MB', 'Xerox 3MB Ethernet', 184],
  [3, 'AX25', 'Amateur Radio AX.25', 148],
  [6, 'IEEE802', 'Token Ring', 2],
  [7, 'ARCNET', 'ARCNET', 8],
  [8, 'SLIP', 'SLIP', 3],
  [9, 'PPP', 'PPP', 4],
  [10, 'FDDI', 'FDDI with bit-swapped MAC addresses', 6],
  [12, 'RAW', 'Raw IP', 7],
  [14, 'RAW', 'Raw IP', 7],
  [50, 'PPP_SERIAL', 'PPP', 4],
  [51, 'PPP_ETHER', 'PPP-over-Ethernet session', 139],
  [99, 'SYMANTEC_FIREWALL', 'Symantec Enterprise Firewall', 61],
  [100, 'ATM_RFC1483', 'RFC 1483 ATM', 10],
  [101, 'RAW', 'Raw IP', 7],
  [104, 'C_HDLC', 'Cisco HDLC', 28],
  [105, 'IEEE802_11', 'IEEE 802.11 Wireless LAN', 20],
  [107, 'FRELAY', 'Frame Relay', 26],
  [108, 'LOOP', 'OpenBSD loopback', 174],
  [109, 'ENC', 'OpenBSD enc(4) encapsulating interface', 38],
  [113, 'LINUX_SLL', 'Linux cooked-mode capture v1', 25],
  [114, 'LTALK', 'Localtalk', 30],
  [117, 'PFLOG', 'OpenBSD PF Firewall logs', 39],
  [119, 'PRISM_HEADER', 'IEEE 802.11 plus Prism II monitor mode radio header', 21],
  [122, 'IP_OVER_FC', 'RFC 2625 IP-over-Fibre Channel', 18],
  [123, 'SUNATM', 'ATM PDUs', 13],
  [127, 'IEEE802_11_RADIO', 'IEEE 802.11 plus radiotap radio header', 23],
  [128, 'TZSP', 'Tazmen sniffer protocol', 37],
  [129, 'ARCNET_LINUX', 'Linux ARCNET', 9],
  [138, 'APPLE_IP_OVER_IEEE1394', 'Apple IP-over-IEEE 1394', 62],
  [139, 'MTP2_WITH_PHDR', 'MTP2 with pseudoheader', 75],
  [140, 'MTP2', 'SS7 MTP2', 42],
  [141, 'MTP3', 'SS7 MTP3', 43],
  [142, 'SCCP', 'SS7 SCCP', 101],
  [143, 'DOCSIS', 'Data Over Cable Service Interface Specification', 33],
  [144, 'LINUX_IRDA', 'IrDA', 44],
  ...Array.from({ length: 16 }, (_, i) => [147 + i, `USER${i}`, `USER ${i}`, 45 + i] as const),
  [163, 'IEEE802_11_RADIO_AVS', 'IEEE 802.11 plus AVS radio header', 24],
  [165, 'BACNET_MS_TP', 'BACnet MS/TP', 63],
  [166, 'PPP_PPPD', 'PPP in HDLC-like framing (pppd)', 0],
  [169, 'GPRS_LLC', 'GPRS LLC', 66],
  [170, 'GPF_T', 'ITU-T G.7041/Y.1303 Generic Framing Procedure Transparent mode', 178],
  [171, 'GPF_F', 'ITU-T G.7041/Y.1303 Generic Framing Procedure Frame-mapped mode', 179],
  [177, 'LINUX_LAPD', 'LAPD with Linux pseudo-header', 88],
  [186, 'USB_FREEBSD', 'USB packets with FreeBSD header', 92],
  [187, 'BLUETOOTH_HCI_H4', 'Bluetooth H4', 41],
  [189, 'USB_LINUX', 'USB packets with Linux header', 95],
  [190, 'CAN20B', 'Controller Area Network 2.0B', 109],
  [192, 'PPI', 'Per-Packet Information header', 97],
  [195, 'IEEE802_15_4_WITHFCS', 'IEEE 802.15.4 Wireless PAN', 104],
  [201, 'BLUETOOTH_HCI_H4_WITH_PHDR', 'Bluetooth H4 with linux header', 99],
  [202, 'AX25_KISS', 'AX.25 with KISS header', 147],
  [203, 'LAPD', 'LAPD', 131],
  [204, 'PPP_WITH_DIR', 'PPP with Directional Info', 19],
  [215, 'IEEE802_15_4_NONASK_PHY', 'IEEE 802.15.4 Wireless PAN non-ASK PHY', 113],
  [220, 'USB_LINUX_MMAPPED', 'USB packets with Linux header and padding', 115],
  [224, 'FC_2', 'Fibre Channel FC-2', 121],
  [225, 'FC_2_WITH_FRAME_DELIMS', 'Fibre Channel FC-2 With Frame Delimiter', 122],
  [226, 'IPNET', 'Solaris IPNET', 124],
  [227, 'CAN_SOCKETCAN', 'SocketCAN', 125],
  [228, 'IPV4', 'Raw IPv4', 129],
  [229, 'IPV6', 'Raw IPv6', 130],
  [230, 'IEEE802_15_4_NOFCS', 'IEEE 802.15.4 Wireless PAN with FCS not present', 127],
  [231, 'DBUS', 'D-Bus', 146],
  [235, 'DVB_CI', 'DVB-CI (Common Interface)', 132],
  [236, 'MUX27010', 'MUX27010', 133],
  [237, 'STANAG_5066_D_PDU', 'STANAG 5066 Data Transfer Sublayer PDUs(D_PDU)', 157],
  [239, 'NFLOG', 'NFLOG', 141],
  [240, 'NETANALYZER', 'Hilscher netANALYZER', 135],
  [241, 'NETANALYZER_TRANSPARENT', 'Hilscher netANALYZER-Transparent', 136],
  [242, 'IPOIB', 'IP over IB', 180],
  [243, 'MPEG_2_TS', 'ISO/IEC 13818-1 MPEG2-TS', 138],
  [245, 'NFC_LLCP', 'NFC LLCP', 140],
  [248, 'SCTP', 'SCTP', 149],
  [249, 'USBPCAP', 'USB packets with USBPcap header', 152],
  [250, 'RTAC_SERIAL', 'RTAC serial-line', 153],
  [251, 'BLUETOOTH_LE_LL', 'Bluetooth Low Energy Link Layer', 154],
  [252, 'WIRESHARK_UPPER_PDU', 'Wireshark Upper PDU export', 155],
  [253, 'NETLINK', 'Linux Netlink', 158],
  [254, 'BLUETOOTH_LINUX_MONITOR', 'Bluetooth Linux Monitor', 159],
  [255, 'BLUETOOTH_BREDR_BB', 'Bluetooth BR/EDR Baseband RF', 160],
  [256, 'BLUETOOTH_LE_LL_WITH_PHDR', 'Bluetooth Low Energy Link Layer RF', 161],
  [258, 'PKTAP', 'Apple PKTAP', 171],
  [259, 'EPON', 'Ethernet Passive Optical Network', 172],
  [260, 'IPMI_HPM_2', 'IPMI Trace Data Collection', 173],
  [264, 'ISO_14443', 'ISO 14443 contactless smartcard standards', 177],
  [266, 'USB_DARWIN', 'USB packets with Darwin (macOS, etc.) headers', 182],
  [268, 'SDLC', 'SDLC', 36],
  [270, 'LORATAP', 'LoRaTap', 183],
  [271, 'VSOCK', 'Linux vsock', 185],
  [272, 'NORDIC_BLE', 'nRF Sniffer for Bluetooth LE', 186],
  [273, 'DOCSIS31_XRA31', 'DOCSIS with Excentis XRA pseudo-header', 199],
  [274, 'ETHERNET_MPACKET', 'IEEE 802.3br mPackets', 198],
  [275, 'DISPLAYPORT_AUX', 'DisplayPort AUX channel with Unigraf pseudo-header', 200],
  [276, 'LINUX_SLL2', 'Linux cooked-mode capture v2', 210],
  [279, 'EBHSCR', 'Elektrobit High Speed Capture and Replay', 204],
  [280, 'VPP_DISPATCH', 'Vector Packet Processing graph dispatch trace', 205],
  [283, 'IEEE802_15_4_TAP', 'IEEE 802.15.4 Wireless with TAP pseudo-header', 206],
  [287, 'Z_WAVE_SERIAL', 'Z-Wave Serial API packets', 211],
  [288, 'USB_2_0', 'USB 2.0/1.1/1.0 packets', 208],
  [290, 'ETW', 'Event Tracing for Windows messages', 212],
  [292, 'ZBOSS_NCP', 'ZBOSS NCP', 214],
  [293, 'USB_2_0_LOW_SPEED', 'Low-Speed USB 2.0/1.1/1.0 packets', 215],
  [294, 'USB_2_0_FULL_SPEED', 'Full-Speed USB 2.0/1.1/1.0 packets', 216],
  [295, 'USB_2_0_HIGH_SPEED', 'High-Speed USB 2.0 packets', 217],
];

const BY_NUMBER = new Map<number, LinkTypeInfo>(
  TABLE.map(([linktype, name, description, wtapEncap]) => [
    linktype,
    { linktype, name, description, wtapEncap },
  ]),
);

export function linkTypeInfo(linktype: number): LinkTypeInfo | undefined {
  return BY_NUMBER.get(linktype);
}

/** libpcap's short name (`EN10MB`), or `LINKTYPE_N` for a number we have no name for. */
export function linkTypeName(linktype: number): string {
  return BY_NUMBER.get(linktype)?.name ?? `LINKTYPE_${linktype}`;
}

/** Wireshark's wording (`Ethernet`), or `unknown link type N`. */
export function linkTypeDescription(linktype: number): string {
  return BY_NUMBER.get(linktype)?.description ?? unknownLinkType(linktype);
}

/**
 * Wireshark's encapsulation number for a LINKTYPE (frame.encap_type in tshark: 1 Ethernet,
 * 25 Linux SLL, 210 SLL2, 7 raw IP…), as Wireshark 4.0 maps a pcapng IDB's link type; 0
 * (WTAP_ENCAP_UNKNOWN) for types it does not know.
 */
export function wtapEncap(linktype: number): number {
  return BY_NUMBER.get(linktype)?.wtapEncap ?? 0;
}

export function unknownLinkType(linktype: number): string {
  return `unknown link type ${linktype}`;
}

/** `1 (EN10MB, Ethernet)`: the form our messages use to name a link type. */
export function linkTypeLabel(linktype: number): string {
  const i = BY_NUMBER.get(linktype);
  return i ? `${linktype} (${i.name}, ${i.description})` : `${linktype} (${unknownLinkType(linktype)})`;
}

export const MAX_CAPLEN_STANDARD = 262144;
const MAX_CAPLEN_LARGE = 128 * 1024 * 1024;
const MAX_CAPLEN_EBHSCR = 8 * 1024 * 1024;

/**
 * The largest captured length we accept for one packet of this link type: Wireshark's
 * wtap_max_snaplen_for_encap (WTAP_MAX_PACKET_SIZE_STANDARD = 262144; 128 MiB for D-Bus and the
 * USB encapsulations, whose messages legitimately exceed it; 8 MiB for EBHSCR). libpcap uses the
 * same limits. Anything bigger is treated as a damaged file, never as an allocation request.
 */
export function maxCaplen(linktype: number): number {
  switch (linktype) {
    case 231:
    case 186:
    case 189:
    case 220:
    case 249:
    case 266:
      return MAX_CAPLEN_LARGE;
    case 279:
      return MAX_CAPLEN_EBHSCR;
    default:
      return MAX_CAPLEN_STANDARD;
  }
}
