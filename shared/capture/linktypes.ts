// LINKTYPE_* values of pcap and pcapng files (tcpdump.org link-layer header types, also
// draft-ietf-opsawg-pcaplinktype). `name` is libpcap's short name (what tcpdump prints as
// "link-type EN10MB"); `description` is the text Wireshark 4.0 shows as the file encapsulation
// (read back from `capinfos` on a one-packet file of each type). Types that Wireshark 4.0 refuses
// ("network type N unknown or unsupported") carry the registry's wording instead.
//
// 12 and 14 are not registry values: they are DLT_RAW on OpenBSD/BSD/OS, found in old files,
// and both libpcap and Wireshark read them as raw IP, as we do.

export interface LinkTypeInfo {
  linktype: number;
  name: string;
  description: string;
}

const TABLE: readonly (readonly [number, string, string])[] = [
  [0, 'NULL', 'NULL/Loopback'],
  [1, 'EN10MB', 'Ethernet'],
  [2, 'EN3MB', 'Xerox 3MB Ethernet'],
  [3, 'AX25', 'Amateur Radio AX.25'],
  [6, 'IEEE802', 'Token Ring'],
  [7, 'ARCNET', 'ARCNET'],
  [8, 'SLIP', 'SLIP'],
  [9, 'PPP', 'PPP'],
  [10, 'FDDI', 'FDDI with bit-swapped MAC addresses'],
  [12, 'RAW', 'Raw IP'],
  [14, 'RAW', 'Raw IP'],
  [50, 'PPP_SERIAL', 'PPP'],
  [51, 'PPP_ETHER', 'PPP-over-Ethernet session'],
  [99, 'SYMANTEC_FIREWALL', 'Symantec Enterprise Firewall'],
  [100, 'ATM_RFC1483', 'RFC 1483 ATM'],
  [101, 'RAW', 'Raw IP'],
  [104, 'C_HDLC', 'Cisco HDLC'],
  [105, 'IEEE802_11', 'IEEE 802.11 Wireless LAN'],
  [107, 'FRELAY', 'Frame Relay'],
  [108, 'LOOP', 'OpenBSD loopback'],
  [109, 'ENC', 'OpenBSD enc(4) encapsulating interface'],
  [113, 'LINUX_SLL', 'Linux cooked-mode capture v1'],
  [114, 'LTALK', 'Localtalk'],
  [117, 'PFLOG', 'OpenBSD PF Firewall logs'],
  [119, 'PRISM_HEADER', 'IEEE 802.11 plus Prism II monitor mode radio header'],
  [122, 'IP_OVER_FC', 'RFC 2625 IP-over-Fibre Channel'],
  [123, 'SUNATM', 'ATM PDUs'],
  [127, 'IEEE802_11_RADIO', 'IEEE 802.11 plus radiotap radio header'],
  [128, 'TZSP', 'Tazmen sniffer protocol'],
  [129, 'ARCNET_LINUX', 'Linux ARCNET'],
  [138, 'APPLE_IP_OVER_IEEE1394', 'Apple IP-over-IEEE 1394'],
  [139, 'MTP2_WITH_PHDR', 'MTP2 with pseudoheader'],
  [140, 'MTP2', 'SS7 MTP2'],
  [141, 'MTP3', 'SS7 MTP3'],
  [142, 'SCCP', 'SS7 SCCP'],
  [143, 'DOCSIS', 'Data Over Cable Service Interface Specification'],
  [144, 'LINUX_IRDA', 'IrDA'],
  ...Array.from({ length: 16 }, (_, i) => [147 + i, `USER${i}`, `USER ${i}`] as const),
  [163, 'IEEE802_11_RADIO_AVS', 'IEEE 802.11 plus AVS radio header'],
  [165, 'BACNET_MS_TP', 'BACnet MS/TP'],
  [166, 'PPP_PPPD', 'PPP in HDLC-like framing (pppd)'],
  [169, 'GPRS_LLC', 'GPRS LLC'],
  [170, 'GPF_T', 'ITU-T G.7041/Y.1303 Generic Framing Procedure Transparent mode'],
  [171, 'GPF_F', 'ITU-T G.7041/Y.1303 Generic Framing Procedure Frame-mapped mode'],
  [177, 'LINUX_LAPD', 'LAPD with Linux pseudo-header'],
  [186, 'USB_FREEBSD', 'USB packets with FreeBSD header'],
  [187, 'BLUETOOTH_HCI_H4', 'Bluetooth H4'],
  [189, 'USB_LINUX', 'USB packets with Linux header'],
  [190, 'CAN20B', 'Controller Area Network 2.0B'],
  [192, 'PPI', 'Per-Packet Information header'],
  [195, 'IEEE802_15_4_WITHFCS', 'IEEE 802.15.4 Wireless PAN'],
  [201, 'BLUETOOTH_HCI_H4_WITH_PHDR', 'Bluetooth H4 with linux header'],
  [202, 'AX25_KISS', 'AX.25 with KISS header'],
  [203, 'LAPD', 'LAPD'],
  [204, 'PPP_WITH_DIR', 'PPP with Directional Info'],
  [215, 'IEEE802_15_4_NONASK_PHY', 'IEEE 802.15.4 Wireless PAN non-ASK PHY'],
  [220, 'USB_LINUX_MMAPPED', 'USB packets with Linux header and padding'],
  [224, 'FC_2', 'Fibre Channel FC-2'],
  [225, 'FC_2_WITH_FRAME_DELIMS', 'Fibre Channel FC-2 With Frame Delimiter'],
  [226, 'IPNET', 'Solaris IPNET'],
  [227, 'CAN_SOCKETCAN', 'SocketCAN'],
  [228, 'IPV4', 'Raw IPv4'],
  [229, 'IPV6', 'Raw IPv6'],
  [230, 'IEEE802_15_4_NOFCS', 'IEEE 802.15.4 Wireless PAN with FCS not present'],
  [231, 'DBUS', 'D-Bus'],
  [235, 'DVB_CI', 'DVB-CI (Common Interface)'],
  [236, 'MUX27010', 'MUX27010'],
  [237, 'STANAG_5066_D_PDU', 'STANAG 5066 Data Transfer Sublayer PDUs(D_PDU)'],
  [239, 'NFLOG', 'NFLOG'],
  [240, 'NETANALYZER', 'Hilscher netANALYZER'],
  [241, 'NETANALYZER_TRANSPARENT', 'Hilscher netANALYZER-Transparent'],
  [242, 'IPOIB', 'IP over IB'],
  [243, 'MPEG_2_TS', 'ISO/IEC 13818-1 MPEG2-TS'],
  [245, 'NFC_LLCP', 'NFC LLCP'],
  [248, 'SCTP', 'SCTP'],
  [249, 'USBPCAP', 'USB packets with USBPcap header'],
  [250, 'RTAC_SERIAL', 'RTAC serial-line'],
  [251, 'BLUETOOTH_LE_LL', 'Bluetooth Low Energy Link Layer'],
  [252, 'WIRESHARK_UPPER_PDU', 'Wireshark Upper PDU export'],
  [253, 'NETLINK', 'Linux Netlink'],
  [254, 'BLUETOOTH_LINUX_MONITOR', 'Bluetooth Linux Monitor'],
  [255, 'BLUETOOTH_BREDR_BB', 'Bluetooth BR/EDR Baseband RF'],
  [256, 'BLUETOOTH_LE_LL_WITH_PHDR', 'Bluetooth Low Energy Link Layer RF'],
  [258, 'PKTAP', 'Apple PKTAP'],
  [259, 'EPON', 'Ethernet Passive Optical Network'],
  [260, 'IPMI_HPM_2', 'IPMI Trace Data Collection'],
  [264, 'ISO_14443', 'ISO 14443 contactless smartcard standards'],
  [266, 'USB_DARWIN', 'USB packets with Darwin (macOS, etc.) headers'],
  [268, 'SDLC', 'SDLC'],
  [270, 'LORATAP', 'LoRaTap'],
  [271, 'VSOCK', 'Linux vsock'],
  [272, 'NORDIC_BLE', 'nRF Sniffer for Bluetooth LE'],
  [273, 'DOCSIS31_XRA31', 'DOCSIS with Excentis XRA pseudo-header'],
  [274, 'ETHERNET_MPACKET', 'IEEE 802.3br mPackets'],
  [275, 'DISPLAYPORT_AUX', 'DisplayPort AUX channel with Unigraf pseudo-header'],
  [276, 'LINUX_SLL2', 'Linux cooked-mode capture v2'],
  [279, 'EBHSCR', 'Elektrobit High Speed Capture and Replay'],
  [280, 'VPP_DISPATCH', 'Vector Packet Processing graph dispatch trace'],
  [283, 'IEEE802_15_4_TAP', 'IEEE 802.15.4 Wireless with TAP pseudo-header'],
  [287, 'Z_WAVE_SERIAL', 'Z-Wave Serial API packets'],
  [288, 'USB_2_0', 'USB 2.0/1.1/1.0 packets'],
  [290, 'ETW', 'Event Tracing for Windows messages'],
  [292, 'ZBOSS_NCP', 'ZBOSS NCP'],
  [293, 'USB_2_0_LOW_SPEED', 'Low-Speed USB 2.0/1.1/1.0 packets'],
  [294, 'USB_2_0_FULL_SPEED', 'Full-Speed USB 2.0/1.1/1.0 packets'],
  [295, 'USB_2_0_HIGH_SPEED', 'High-Speed USB 2.0 packets'],
];

const BY_NUMBER = new Map<number, LinkTypeInfo>(
  TABLE.map(([linktype, name, description]) => [linktype, { linktype, name, description }]),
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
